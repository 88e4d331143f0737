/**
 * Receipt printer over Web Serial (Chrome): USB-serial and Bluetooth SPP thermal printers. The first connection
 * needs a user gesture (the port picker); after that the page reopens the granted port on its own, also after the
 * printer was power-cycled. Jobs are written one at a time in order; a failed job rejects its own promise with a
 * `PrinterError` and never blocks the jobs behind it.
 *
 * TypeScript's DOM library has no Web Serial types, so the slice we use is declared here and
 * `serialFromNavigator` is the one typed adapter onto `navigator.serial`.
 */
import { PrinterError, type ReceiptPrinter } from './printer';

/** A USB vendor/product filter for the port picker. */
export interface SerialPortFilter {
	usbVendorId?: number;
	usbProductId?: number;
}

/** The part of the Web Serial `SerialPort` this transport uses. */
export interface SerialPortLike {
	readonly writable: WritableStream<Uint8Array> | null;
	open(options: { baudRate: number }): Promise<void>;
	close(): Promise<void>;
	getInfo(): SerialPortFilter;
}

/** The part of `navigator.serial` this transport uses. */
export interface SerialLike {
	getPorts(): Promise<SerialPortLike[]>;
	requestPort(options?: { filters?: SerialPortFilter[] }): Promise<SerialPortLike>;
	addEventListener(type: 'disconnect', listener: (event: Event) => void): void;
	removeEventListener(type: 'disconnect', listener: (event: Event) => void): void;
}

/** `navigator.serial`, or null where the browser has no Web Serial. */
export function serialFromNavigator(nav: Navigator): SerialLike | null {
	return (nav as Navigator & { serial?: SerialLike }).serial ?? null;
}

/** Connection settings. */
export interface WebSerialPrinterOptions {
	/** Default 9600, the factory setting of most serial thermal printers; USB-serial ones ignore it. */
	baudRate?: number;
	/** Offer (and reconnect to) only these devices. */
	filters?: SerialPortFilter[];
}

function matches(port: SerialPortLike, filters: SerialPortFilter[]): boolean {
	if (filters.length === 0) return true;
	const info = port.getInfo();
	return filters.some(
		(f) =>
			(f.usbVendorId === undefined || f.usbVendorId === info.usbVendorId) &&
			(f.usbProductId === undefined || f.usbProductId === info.usbProductId)
	);
}

/** A `ReceiptPrinter` on a Web Serial port, with an ordered write queue. */
export class WebSerialPrinter implements ReceiptPrinter {
	readonly #serial: SerialLike;
	readonly #baudRate: number;
	readonly #filters: SerialPortFilter[];
	#port: SerialPortLike | null = null;
	#tail: Promise<void> = Promise.resolve();

	constructor(serial: SerialLike, options: WebSerialPrinterOptions = {}) {
		this.#serial = serial;
		this.#baudRate = options.baudRate ?? 9600;
		this.#filters = options.filters ?? [];
	}

	/** Whether a port is open. */
	get connected(): boolean {
		return this.#port !== null;
	}

	/** Reopens a port the user granted earlier, without a prompt. Resolves false when there is none. */
	async reconnect(): Promise<boolean> {
		if (this.#port) return true;
		const port = (await this.#serial.getPorts()).find((p) => matches(p, this.#filters));
		if (!port) return false;
		await this.#open(port);
		return true;
	}

	/** Shows the port picker and opens the chosen port. Call it from a click handler (a user gesture). */
	async connect(): Promise<void> {
		let port: SerialPortLike;
		try {
			port = await this.#serial.requestPort({ filters: this.#filters });
		} catch (cause) {
			// NotFoundError: the cashier closed the picker. SecurityError: no user gesture.
			const cancelled = (cause as { name?: unknown } | null)?.name === 'NotFoundError';
			throw new PrinterError(cancelled ? 'cancelled' : 'openFailed', 'No printer port was chosen', { cause });
		}
		await this.#close();
		await this.#open(port);
	}

	/** Queues a job; resolves once its bytes are handed to the port, rejects with `PrinterError` if they were not. */
	print(bytes: Uint8Array): Promise<void> {
		const copy = bytes.slice(); // the caller may reuse its buffer while we wait in the queue
		const job = this.#tail.then(() => this.#write(copy));
		// The queue moves on after a failure; the failure itself reaches the caller through `job`.
		this.#tail = job.catch(() => undefined);
		return job;
	}

	/** Waits for queued jobs and closes the port. */
	async disconnect(): Promise<void> {
		await this.#tail;
		await this.#close();
	}

	readonly #onDisconnect = (event: Event) => {
		if (event.target === this.#port) this.#forget();
	};

	async #open(port: SerialPortLike): Promise<void> {
		// A port this page already opened has a writable stream; opening it again would throw.
		if (!port.writable) {
			try {
				await port.open({ baudRate: this.#baudRate });
			} catch (cause) {
				throw new PrinterError('openFailed', 'The printer port could not be opened', { cause });
			}
		}
		this.#port = port;
		this.#serial.addEventListener('disconnect', this.#onDisconnect);
	}

	#forget(): void {
		this.#port = null;
		this.#serial.removeEventListener('disconnect', this.#onDisconnect);
	}

	async #close(): Promise<void> {
		const port = this.#port;
		this.#forget();
		// Closing a port whose device is gone rejects; it is closed either way.
		await port?.close().catch(() => undefined);
	}

	async #write(bytes: Uint8Array): Promise<void> {
		if (this.#port && !this.#port.writable) await this.#close(); // its stream died with the device
		// After a power cycle or an unplug the granted port reopens without asking the cashier.
		if (!this.#port && !(await this.reconnect()))
			throw new PrinterError('notConnected', 'No printer is connected');
		const writable = this.#port?.writable;
		if (!writable) throw new PrinterError('notConnected', 'No printer is connected');
		const writer = writable.getWriter();
		let failed = false;
		let cause: unknown;
		try {
			await writer.write(bytes);
		} catch (error) {
			failed = true;
			cause = error;
		} finally {
			writer.releaseLock();
		}
		if (failed) {
			await this.#close(); // the next job reopens the port
			throw new PrinterError('writeFailed', 'The printer did not accept the receipt', { cause });
		}
	}
}
