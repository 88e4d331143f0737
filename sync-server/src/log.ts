/**
 * Structured logging: one JSON object per line on stdout (warn and error go to stderr).
 * `silent` turns everything off, which the tests and Playwright's web server use.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
	readonly level: LogLevel;
	debug(msg: string, fields?: LogFields): void;
	info(msg: string, fields?: LogFields): void;
	warn(msg: string, fields?: LogFields): void;
	error(msg: string, fields?: LogFields): void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function isLogLevel(value: unknown): value is LogLevel {
	return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export interface LoggerOptions {
	level: LogLevel;
	/** Where lines go; defaults to stdout/stderr. Tests pass an array push. */
	write?: (line: string, level: Exclude<LogLevel, 'silent'>) => void;
	now?: () => Date;
}

function defaultWrite(line: string, level: Exclude<LogLevel, 'silent'>): void {
	if (level === 'warn' || level === 'error') process.stderr.write(line + '\n');
	else process.stdout.write(line + '\n');
}

function serializeError(err: unknown): unknown {
	if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
	return err;
}

export function createLogger(options: LoggerOptions): Logger {
	const write = options.write ?? defaultWrite;
	const now = options.now ?? (() => new Date());
	const threshold = rank[options.level];

	function emit(level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields): void {
		if (rank[level] < threshold) return;
		const record: LogFields = { time: now().toISOString(), level, msg };
		if (fields) {
			for (const [key, value] of Object.entries(fields)) {
				record[key] = key === 'err' ? serializeError(value) : value;
			}
		}
		let line: string;
		try {
			line = JSON.stringify(record);
		} catch {
			line = JSON.stringify({ time: record.time, level, msg, note: 'fields not serializable' });
		}
		write(line, level);
	}

	return {
		level: options.level,
		debug: (msg, fields) => emit('debug', msg, fields),
		info: (msg, fields) => emit('info', msg, fields),
		warn: (msg, fields) => emit('warn', msg, fields),
		error: (msg, fields) => emit('error', msg, fields)
	};
}
