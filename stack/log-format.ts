/** How `npm start` and `npm run cluster` show their children's log lines and their own settings in a terminal. */
const PINO_LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** A pino JSON line made readable; anything else as it is. */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const {
      level,
      time,
      pid: _pid,
      hostname: _host,
      service: _service,
      msg,
      req,
      res,
      responseTime,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    const clock = typeof time === 'number' ? new Date(time).toISOString().slice(11, 23) : '';
    const head = `${clock} ${PINO_LEVELS[level as number] ?? String(level)}`;
    if (req && res && typeof req === 'object' && typeof res === 'object') {
      const { method, url } = req as { method?: string; url?: string };
      const { statusCode } = res as { statusCode?: number };
      return `${head} ${method} ${url} ${statusCode} ${String(responseTime)}ms`;
    }
    const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    return `${head} ${String(msg ?? '')}${extra}`;
  } catch {
    return line;
  }
}

/** A database URL as start-up lines show it: the password masked. */
export function withoutPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}
