/** Log levels, most verbose first, as pino names them; `silent` writes nothing. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How records are written: one JSON object per line, human-readable text, or pretty only on a TTY. */
export type LogFormat = 'auto' | 'json' | 'pretty';
