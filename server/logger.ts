/**
 * One JSON line per event. Callers pass only ids and counts: never tokens, names or idea text
 * (see docs/security.md). Injected everywhere so tests can silence or capture it.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>

export interface Logger {
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
  child(fields: LogFields): Logger
}

type Sink = (line: string) => void

export function createLogger(level: 'silent' | 'info' | 'debug', sink: Sink = (line) => process.stdout.write(line + '\n'), base: LogFields = {}): Logger {
  return new JsonLogger(level, sink, base)
}

/** A class, not closures: every room's docs hold a child logger. */
class JsonLogger implements Logger {
  constructor(
    private readonly level: 'silent' | 'info' | 'debug',
    private readonly sink: Sink,
    private readonly base: LogFields,
  ) {}

  info(event: string, fields?: LogFields): void {
    this.write('info', event, fields)
  }

  warn(event: string, fields?: LogFields): void {
    this.write('warn', event, fields)
  }

  error(event: string, fields?: LogFields): void {
    this.write('error', event, fields)
  }

  child(fields: LogFields): Logger {
    return new JsonLogger(this.level, this.sink, { ...this.base, ...fields })
  }

  private write(severity: string, event: string, fields?: LogFields): void {
    if (this.level === 'silent') return
    this.sink(JSON.stringify({ time: new Date().toISOString(), level: severity, event, ...this.base, ...fields }))
  }
}

export const silentLogger: Logger = createLogger('silent')

/** Error details for a log line: message and the first stack frames, never request data. */
export const describeError = (error: unknown): LogFields => ({
  error: error instanceof Error ? error.message : String(error),
  stack: error instanceof Error ? error.stack?.split('\n').slice(1, 4).join(' | ') : undefined,
})
