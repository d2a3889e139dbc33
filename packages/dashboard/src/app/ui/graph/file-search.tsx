'use client';
import { useMemo, useState } from 'react';
import { searchFiles } from './search-files';

/** Props of {@link FileSearch}. */
export interface FileSearchProps {
  /** Every file of the graph; a file's index is its id. */
  readonly files: readonly string[];
  /** Changed files picked so far. */
  readonly changed: ReadonlySet<string>;
  /** Shows a file: expands the clusters holding it and centres on it. */
  readonly onShow: (fileId: number) => void;
  readonly onToggleChanged: (path: string) => void;
}

/** Finds files by path: Enter or a result's name shows it in the graph; its box picks it as changed. */
export function FileSearch({ files, changed, onShow, onToggleChanged }: FileSearchProps) {
  const [query, setQuery] = useState('');
  const results = useMemo(() => searchFiles(files, query), [files, query]);
  return (
    <div className="graph-search">
      <input
        type="search"
        placeholder="Find a file…"
        aria-label="Find a file"
        data-testid="graph-search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && results[0] !== undefined) onShow(results[0]);
        }}
      />
      {query.trim() === '' ? null : results.length === 0 ? (
        <p className="muted">No file matches.</p>
      ) : (
        <ul className="graph-results" data-testid="graph-search-results">
          {results.map((id) => {
            const path = files[id] as string;
            return (
              <li key={id} data-path={path}>
                <label title="Changed">
                  <input
                    type="checkbox"
                    aria-label={`${path} changed`}
                    checked={changed.has(path)}
                    onChange={() => onToggleChanged(path)}
                  />
                </label>
                <button type="button" className="link" onClick={() => onShow(id)}>
                  {path}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
