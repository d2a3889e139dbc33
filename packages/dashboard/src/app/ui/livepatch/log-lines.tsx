'use client';
import { useEffect, useRef } from 'react';
import type { AgentLogLine } from '../../../lib/agents';
import { formatTime } from './format';

/** How close to the bottom (px) the view must be for new lines to scroll it: reading older lines stops that. */
const STICK_TO_BOTTOM_PX = 40;

/** An agent's log: the app's output and the agent's events, oldest first, following new lines at the bottom. */
export function LogLines({ lines }: { lines: readonly AgentLogLine[] }) {
  const view = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  useEffect(() => {
    const element = view.current;
    if (element !== null && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [lines]);
  return (
    <div
      ref={view}
      className="livepatch-log"
      data-testid="agent-log"
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current =
          element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
      }}
    >
      {lines.length === 0 ? (
        <p className="muted">Nothing logged yet.</p>
      ) : (
        lines.map((line, index) => (
          <div key={index} className="livepatch-log-line" data-stream={line.stream}>
            <span className="muted">{formatTime(line.timeMs)}</span>{' '}
            <span className="livepatch-log-stream">
              {line.stream === 'event' ? `[${line.kind}]` : `[${line.stream}]`}
            </span>{' '}
            {line.text}
          </div>
        ))
      )}
    </div>
  );
}
