import type { StylesheetJson } from 'cytoscape';

/** Colours of the graph, read from the page's CSS custom properties (light or dark scheme). */
export interface GraphPalette {
  readonly fg: string;
  readonly muted: string;
  readonly panel: string;
  readonly border: string;
  readonly accent: string;
  readonly ok: string;
  readonly bad: string;
  readonly warn: string;
}

/** The palette of the scheme `element` is shown in (`--fg`, `--accent`… in globals.css). */
export function readPalette(element: Element): GraphPalette {
  const style = getComputedStyle(element);
  const color = (name: string) => style.getPropertyValue(`--${name}`).trim();
  return {
    fg: color('fg'),
    muted: color('muted'),
    panel: color('panel'),
    border: color('border'),
    accent: color('accent'),
    ok: color('ok'),
    bad: color('bad'),
    warn: color('warn'),
  };
}

/**
 * The cytoscape stylesheet of the graph: clusters as rounded boxes (open ones hold their content), files and
 * tests as labelled nodes, type-only imports dashed; highlight classes (`changed`, `affected`, `chain`,
 * `focus`, `found`) from {@link highlightView} on top.
 *
 * @see https://js.cytoscape.org/#style
 */
export function graphStyle(palette: GraphPalette): StylesheetJson {
  return [
    {
      selector: 'node',
      style: {
        label: 'data(display)',
        'font-size': 11,
        color: palette.fg,
        'text-wrap': 'wrap',
        'text-max-width': '150px',
        'text-valign': 'center',
        'text-halign': 'center',
        width: 'data(width)',
        height: 'data(height)',
        padding: '6px',
        shape: 'round-rectangle',
        'background-color': palette.panel,
        'border-width': 1,
        'border-color': palette.border,
      },
    },
    {
      selector: 'node[kind = "folder"], node[kind = "package"]',
      style: { 'font-weight': 'bold', 'border-width': 2, 'border-color': palette.muted },
    },
    { selector: 'node[kind = "package"]', style: { 'border-style': 'double', 'border-width': 4 } },
    {
      selector: 'node[?expanded]',
      style: {
        'text-valign': 'top',
        'text-halign': 'center',
        'background-opacity': 0.35,
        'border-style': 'dashed',
        padding: '14px',
      },
    },
    { selector: 'node[kind = "test"]', style: { shape: 'round-tag' } },
    {
      selector: 'edge',
      style: {
        width: 'mapData(count, 1, 50, 1, 6)',
        'line-color': palette.border,
        'target-arrow-color': palette.border,
        'target-arrow-shape': 'triangle',
        // Straight lines draw fastest; the packed layout leaves no parallel edges to tell apart.
        'curve-style': 'straight',
        'arrow-scale': 0.8,
        opacity: 0.7,
      },
    },
    { selector: 'edge[?typeOnly]', style: { 'line-style': 'dashed' } },
    { selector: '.chain', style: { 'border-color': palette.warn, 'border-width': 3 } },
    {
      selector: 'edge.chain',
      style: {
        'line-color': palette.warn,
        'target-arrow-color': palette.warn,
        width: 3,
        opacity: 1,
        'z-index': 10,
      },
    },
    { selector: '.affected', style: { 'background-color': palette.ok, color: '#ffffff' } },
    { selector: '.changed', style: { 'background-color': palette.bad, color: '#ffffff' } },
    { selector: 'node.focus', style: { 'border-color': palette.accent, 'border-width': 5 } },
    {
      selector: 'edge.focus',
      style: {
        'line-color': palette.accent,
        'target-arrow-color': palette.accent,
        width: 5,
        'z-index': 20,
      },
    },
    { selector: 'node.found', style: { 'overlay-color': palette.accent, 'overlay-opacity': 0.25 } },
  ];
}
