import { describe, expect, it } from 'vitest';
import { MemoryPrinter, PrinterError } from './printer';
import {
	serialFromNavigator,
	WebSerialPrinter,
	type SerialPortFilter,
	type SerialPortLike
} from './webSerialPrinter';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MemoryPrinter', () => {
	it('records a copy of every job', async () => {
		const printer = new MemoryPrinter();
		const buffer = Uint8Array.of(0x1b, 0x40);
		await printer.print(buffer);
		buffer[0] = 0;
		await printer.print(Uint8Array.of(0x0a));
		expect(printer.jobs).toEqual([Uint8Array.of(0x1b, 0x40), Uint8Array.of(0x0a)]);
		expect(printer.lastJob).toEqual(Uint8Array.of(0x0a));
		printer.clear();
		expect(printer.jobs).toEqual([]);
	});

	it('fails the next job on request, then prints again', async () => {
		const printer = new MemoryPrinter({ delayMs: 1 });
		printer.failNext();
		await expect(printer.print(Uint8Array.of(1))).rejects.toMatchObject({
			name: 'PrinterError',
			code: 'writeFailed'
		});
		await printer.print(Uint8Array.of(2));
		expect(printer.jobs).toEqual([Uint8Array.of(2)]);
	});
});

/** A serial port whose writes land in `written`; it can be told to die mid-write like an unplugged printer. */
class FakePort extends EventTarget implements SerialPortLike {
	writable: WritableStream<Uint8Array> | null = null;
	written: number[][] = [];
	opens: { baudRate: number }[] = [];
	failNextWrite = false;
	writeDelayMs = 0;
	constructor(readonly info: SerialPortFilter = {}) {
		super();
	}
	async open(options: { baudRate: number }): Promise<void> {
		if (this.writable) throw new DOMException('The port is already open.', 'InvalidStateError');
		this.opens.push(options);
		this.writable = new WritableStream<Uint8Array>({
			write: async (chunk) => {
				if (this.failNextWrite) {
					this.failNextWrite = false;
					throw new Error('The device has been lost.');
				}
				if (this.writeDelayMs) await sleep(this.writeDelayMs);
				this.written.push([...chunk]);
			}
		});
	}
	async close(): Promise<void> {
		this.writable = null;
	}
	getInfo(): SerialPortFilter {
		return this.info;
	}
}

class FakeSerial extends EventTarget {
	constructor(
		public granted: FakePort[] = [],
		public pick: FakePort | null = null
	) {
		super();
	}
	lastRequest: { filters?: SerialPortFilter[] } | undefined;
	async getPorts(): Promise<FakePort[]> {
		return this.granted;
	}
	async requestPort(options?: { filters?: SerialPortFilter[] }): Promise<FakePort> {
		this.lastRequest = options;
		if (!this.pick) throw new DOMException('No port selected by the user.', 'NotFoundError');
		this.granted.push(this.pick);
		return this.pick;
	}
	/** Like the browser: the event fires on the port and reaches navigator.serial with the port as target. */
	unplug(port: FakePort): void {
		port.writable = null;
		const event = new Event('disconnect');
		Object.defineProperty(event, 'target', { value: port });
		this.dispatchEvent(event);
	}
}

const XPRINTER = { usbVendorId: 0x0483, usbProductId: 0x5743 };

describe('WebSerialPrinter', () => {
	it('reopens a previously granted printer without a prompt', async () => {
		const other = new FakePort({ usbVendorId: 0x1a86 });
		const printerPort = new FakePort(XPRINTER);
		const serial = new FakeSerial([other, printerPort]);
		const printer = new WebSerialPrinter(serial, { filters: [XPRINTER] });
		expect(await printer.reconnect()).toBe(true);
		expect(printerPort.opens).toEqual([{ baudRate: 9600 }]);
		expect(other.opens).toEqual([]);
		await printer.print(Uint8Array.of(0x1b, 0x40));
		expect(printerPort.written).toEqual([[0x1b, 0x40]]);
		expect(serial.lastRequest).toBeUndefined(); // never showed the picker
	});

	it('says so when nothing was granted yet', async () => {
		const printer = new WebSerialPrinter(new FakeSerial());
		expect(await printer.reconnect()).toBe(false);
		await expect(printer.print(Uint8Array.of(1))).rejects.toMatchObject({ code: 'notConnected' });
	});

	it('connects through the picker with the filters and baud rate', async () => {
		const port = new FakePort(XPRINTER);
		const serial = new FakeSerial([], port);
		const printer = new WebSerialPrinter(serial, { filters: [XPRINTER], baudRate: 115200 });
		await printer.connect();
		expect(serial.lastRequest).toEqual({ filters: [XPRINTER] });
		expect(port.opens).toEqual([{ baudRate: 115200 }]);
		expect(printer.connected).toBe(true);
	});

	it('reports a closed picker as cancelled', async () => {
		const printer = new WebSerialPrinter(new FakeSerial());
		const error = await printer.connect().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PrinterError);
		expect(error).toMatchObject({ code: 'cancelled' });
		expect((error as PrinterError).cause).toBeInstanceOf(DOMException);
	});

	it('writes jobs one at a time, in order', async () => {
		const port = new FakePort();
		port.writeDelayMs = 5;
		const printer = new WebSerialPrinter(new FakeSerial([port]));
		await Promise.all([1, 2, 3].map((n) => printer.print(Uint8Array.of(n, n))));
		expect(port.written).toEqual([
			[1, 1],
			[2, 2],
			[3, 3]
		]);
	});

	it('rejects a failed job with its cause and keeps printing the next ones', async () => {
		const port = new FakePort();
		const printer = new WebSerialPrinter(new FakeSerial([port]));
		await printer.reconnect();
		port.failNextWrite = true;
		const first = printer.print(Uint8Array.of(1));
		const second = printer.print(Uint8Array.of(2));
		const error = await first.catch((e: unknown) => e);
		expect(error).toMatchObject({ name: 'PrinterError', code: 'writeFailed' });
		expect(String((error as PrinterError).cause)).toContain('device has been lost');
		await second; // the port was reopened for it
		expect(port.written).toEqual([[2]]);
		expect(port.opens).toHaveLength(2);
	});

	it('notices an unplugged printer and reopens it on the next job', async () => {
		const port = new FakePort();
		const serial = new FakeSerial([port]);
		const printer = new WebSerialPrinter(serial);
		await printer.reconnect();
		serial.unplug(port);
		expect(printer.connected).toBe(false);
		await printer.print(Uint8Array.of(7));
		expect(port.written).toEqual([[7]]);
	});

	it('surfaces a port that cannot be opened', async () => {
		const port = new FakePort();
		port.open = () => Promise.reject(new DOMException('Failed to open serial port.', 'NetworkError'));
		const printer = new WebSerialPrinter(new FakeSerial([port]));
		await expect(printer.print(Uint8Array.of(1))).rejects.toMatchObject({ code: 'openFailed' });
	});

	it('finishes queued jobs before disconnecting', async () => {
		const port = new FakePort();
		port.writeDelayMs = 5;
		const printer = new WebSerialPrinter(new FakeSerial([port]));
		const job = printer.print(Uint8Array.of(9));
		await printer.disconnect();
		await job;
		expect(port.written).toEqual([[9]]);
		expect(port.writable).toBeNull();
		expect(printer.connected).toBe(false);
	});

	it('finds navigator.serial only where it exists', () => {
		expect(serialFromNavigator({} as Navigator)).toBeNull();
		const serial = new FakeSerial();
		expect(serialFromNavigator({ serial } as unknown as Navigator)).toBe(serial);
	});
});
