/**
 * The receipt printer port: the till hands it finished ESC/POS bytes and awaits the result. Transports (WebSerial,
 * later WebUSB or a network bridge) implement it; `MemoryPrinter` stands in for tests and the demo register.
 */

/** Anything that can print a job of raw printer bytes. Rejects with a `PrinterError` when it could not. */
export interface ReceiptPrinter {
	print(bytes: Uint8Array): Promise<void>;
}

/** Why a print did not happen, in words the UI can map to a message. */
export type PrinterErrorCode = 'unsupported' | 'cancelled' | 'notConnected' | 'openFailed' | 'writeFailed';

/** A printer failure; `cause` keeps the underlying error for logs. */
export class PrinterError extends Error {
	override readonly name = 'PrinterError';
	constructor(
		readonly code: PrinterErrorCode,
		message: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
	}
}

/** Options for the in-memory printer. */
export interface MemoryPrinterOptions {
	/** Pretend each job takes this long, so the demo register shows its "printing…" state. */
	delayMs?: number;
}

/** An in-memory printer: records every job (a copy of its bytes) for tests and the demo register. */
export class MemoryPrinter implements ReceiptPrinter {
	readonly jobs: Uint8Array[] = [];
	readonly #delayMs: number;
	readonly #failures: Error[] = [];

	constructor(options: MemoryPrinterOptions = {}) {
		this.#delayMs = options.delayMs ?? 0;
	}

	/** Records the job, or fails it if `failNext` asked for that. */
	async print(bytes: Uint8Array): Promise<void> {
		if (this.#delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
		const failure = this.#failures.shift();
		if (failure) throw failure;
		// A copy: the caller may reuse its buffer, and a test must see what was printed at the time.
		this.jobs.push(bytes.slice());
	}

	/** Makes the next print fail (paper out, cable pulled) to exercise the till's error path. */
	failNext(error: Error = new PrinterError('writeFailed', 'Simulated printer failure')): void {
		this.#failures.push(error);
	}

	/** The most recent job, if any. */
	get lastJob(): Uint8Array | undefined {
		return this.jobs.at(-1);
	}

	/** Forgets recorded jobs and pending failures. */
	clear(): void {
		this.jobs.length = 0;
		this.#failures.length = 0;
	}
}
