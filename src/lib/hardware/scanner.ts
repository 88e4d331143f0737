/**
 * Keyboard-wedge barcode scanners type the code as a burst of keystrokes a few ms apart, usually ending in Enter
 * (or Tab). A person types 70+ ms apart. `ScanDetector` tells the two apart from key timings alone: it holds every
 * character back ('pending') until it knows what it was, emits `onScan(code)` for a burst, and hands human
 * characters back through `takeReleased()` so the consumer can type them where they belonged. Pure and clock-free:
 * the caller passes event times and calls `flush(now)` when the line goes quiet. `attachScanner` binds it to the DOM.
 */

/** One keydown, as the detector needs it. */
export interface KeyInput {
	/** `KeyboardEvent.key`: 'a', '7', 'Enter', 'Shift', … */
	key: string;
	/** Event time in ms (`KeyboardEvent.timeStamp`). */
	at: number;
	ctrlKey?: boolean;
	altKey?: boolean;
	metaKey?: boolean;
	/** Auto-repeat of a held key: always a person. */
	repeat?: boolean;
	/** An IME is composing (Chinese input method on): the key belongs to it. */
	isComposing?: boolean;
}

/** consumed: part of a scan, swallow it; pending: held back, swallow it for now; passthrough: let it happen. */
export type KeyVerdict = 'consumed' | 'passthrough' | 'pending';

/** Timing and shape of what counts as a scan. */
export interface ScannerOptions {
	/** Longest gap between two keystrokes of one scan, in ms. Default 30. */
	maxIntervalMs?: number;
	/** Shortest code accepted as a scan. Default 4. */
	minLength?: number;
	/** Keys that end a scan. Default Enter and Tab. */
	terminators?: readonly string[];
	/** Accept a fast burst that just stops, for scanners set to send no suffix. Default true. */
	allowNoTerminator?: boolean;
}

interface Held {
	char: string;
	at: number;
}

// Modifiers arrive inside bursts (scanners press Shift for capitals) and change nothing on their own.
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock']);

/** Tells scanner bursts from human typing by keystroke timing. */
export class ScanDetector {
	readonly #onScan: (code: string) => void;
	readonly #maxInterval: number;
	readonly #minLength: number;
	readonly #terminators: ReadonlySet<string>;
	readonly #allowNoTerminator: boolean;
	#held: Held[] = [];
	#released = '';

	constructor(onScan: (code: string) => void, options: ScannerOptions = {}) {
		this.#onScan = onScan;
		this.#maxInterval = options.maxIntervalMs ?? 30;
		this.#minLength = options.minLength ?? 4;
		this.#terminators = new Set(options.terminators ?? ['Enter', 'Tab']);
		this.#allowNoTerminator = options.allowNoTerminator ?? true;
	}

	/** The longest gap within a scan, in ms. */
	get maxIntervalMs(): number {
		return this.#maxInterval;
	}

	/** Characters held back and not yet decided. */
	get pending(): string {
		return this.#held.map((h) => h.char).join('');
	}

	/** When `flush` can decide the held characters (ms, same clock as `at`), or null when nothing is held. */
	get deadline(): number | null {
		const last = this.#held.at(-1);
		return last ? last.at + this.#maxInterval : null;
	}

	/** Feeds one keydown and says what the consumer should do with it. */
	feed(input: KeyInput): KeyVerdict {
		this.flush(input.at);
		const { key } = input;
		if (MODIFIERS.has(key) && !input.isComposing) return 'passthrough';
		if (
			input.isComposing ||
			key === 'Process' ||
			input.repeat ||
			input.ctrlKey ||
			input.altKey ||
			input.metaKey
		) {
			this.#release();
			return 'passthrough';
		}
		if (this.#terminators.has(key)) {
			// Everything held arrived fast (a slow gap would have flushed it above); only the length is left to check.
			if (this.#held.length >= this.#minLength) {
				this.#scan();
				return 'consumed';
			}
			this.#release();
			return 'passthrough';
		}
		if (isCharacter(key)) {
			this.#held.push({ char: key, at: input.at });
			return 'pending';
		}
		this.#release(); // Backspace, arrows, F-keys: whatever was held was typing, and goes in before this key
		return 'passthrough';
	}

	/**
	 * Decides held characters once the keyboard has been quiet for longer than `maxIntervalMs` at `now`: a long
	 * enough burst is a scan without a terminator (if allowed), anything else was typing.
	 */
	flush(now: number): void {
		const deadline = this.deadline;
		if (deadline === null || now <= deadline) return;
		if (this.#allowNoTerminator && this.#held.length >= this.#minLength) this.#scan();
		else this.#release();
	}

	/** Human characters that were held back and then let go, oldest first; clears them. */
	takeReleased(): string {
		const text = this.#released;
		this.#released = '';
		return text;
	}

	/** Gives up on anything held: it is released as typing (nothing a person typed is ever lost). */
	releaseAll(): void {
		this.#release();
	}

	#scan(): void {
		const code = this.pending;
		this.#held = [];
		this.#onScan(code);
	}

	#release(): void {
		this.#released += this.pending;
		this.#held = [];
	}
}

/** A single printable character (one code point), as opposed to a named key like 'Enter'. */
function isCharacter(key: string): boolean {
	const chars = Array.from(key);
	return chars.length === 1 && (chars[0]?.codePointAt(0) ?? 0) >= 0x20;
}

/** The slice of an `<input>`/`<textarea>` that typing released characters back needs. */
interface TextField {
	value: string;
	selectionStart: number | null;
	selectionEnd: number | null;
	setRangeText(replacement: string, start: number, end: number, selectionMode: 'end'): void;
	dispatchEvent(event: Event): boolean;
}

function isTextField(target: unknown): target is TextField {
	return (
		typeof target === 'object' &&
		target !== null &&
		'value' in target &&
		typeof target.value === 'string' &&
		'setRangeText' in target &&
		typeof target.setRangeText === 'function'
	);
}

/** Types released characters into the field they were meant for, as if typed (fires `input`). */
export function typeInto(text: string, target: EventTarget | null): void {
	if (!isTextField(target)) return;
	const { selectionStart: start, selectionEnd: end } = target;
	// type="number" and friends have no selection: append.
	if (start === null || end === null) target.value += text;
	else target.setRangeText(text, start, end, 'end');
	const event =
		typeof InputEvent === 'function'
			? new InputEvent('input', { bubbles: true, data: text, inputType: 'insertText' })
			: new Event('input', { bubbles: true });
	target.dispatchEvent(event);
}

function scannerOff(target: EventTarget | null): boolean {
	const closest = (target as { closest?: unknown } | null)?.closest;
	return typeof closest === 'function' && closest.call(target, '[data-scanner="off"]') !== null;
}

interface KeyboardEventLike extends Event {
	key: string;
	ctrlKey: boolean;
	altKey: boolean;
	metaKey: boolean;
	repeat: boolean;
	isComposing: boolean;
}

function isKeyboardEvent(event: Event): event is KeyboardEventLike {
	return typeof (event as { key?: unknown }).key === 'string';
}

/** DOM binding options. */
export interface AttachScannerOptions extends ScannerOptions {
	/** Where held-back human characters go; default `typeInto` the element that had focus. */
	onRelease?: (text: string, target: EventTarget | null) => void;
	/** Clock on the same base as `KeyboardEvent.timeStamp`; default `performance.now`. */
	now?: () => number;
}

/**
 * Listens for keydown on `target` (use `window`: capture phase, so a scan's keys never reach a field or its
 * Enter handler) and calls `onScan` for each scan. Keys in an element inside `[data-scanner="off"]` are left
 * alone. Returns a function that detaches, typing back anything still held.
 */
export function attachScanner(
	target: EventTarget,
	onScan: (code: string) => void,
	options: AttachScannerOptions = {}
): () => void {
	const detector = new ScanDetector(onScan, options);
	const now = options.now ?? (() => performance.now());
	const onRelease = options.onRelease ?? typeInto;
	let holder: EventTarget | null = null;
	let timer: ReturnType<typeof setTimeout> | undefined;

	const release = () => {
		const text = detector.takeReleased();
		if (text) onRelease(text, holder);
	};
	const schedule = () => {
		clearTimeout(timer);
		const deadline = detector.deadline;
		if (deadline === null) return;
		timer = setTimeout(
			() => {
				detector.flush(now());
				release();
				schedule(); // the clock may have lagged the deadline; try again until decided
			},
			Math.max(0, deadline - now()) + 1
		);
	};
	const onKeyDown = (event: Event) => {
		if (!isKeyboardEvent(event) || scannerOff(event.target)) return;
		const verdict = detector.feed({
			key: event.key,
			at: event.timeStamp,
			ctrlKey: event.ctrlKey,
			altKey: event.altKey,
			metaKey: event.metaKey,
			repeat: event.repeat,
			isComposing: event.isComposing
		});
		release(); // characters that turned out to be typing go in before this key takes effect
		if (verdict === 'passthrough') return;
		event.preventDefault();
		event.stopPropagation();
		if (verdict === 'pending') holder = event.target;
		schedule();
	};

	target.addEventListener('keydown', onKeyDown, { capture: true });
	return () => {
		target.removeEventListener('keydown', onKeyDown, { capture: true });
		clearTimeout(timer);
		detector.releaseAll();
		release();
	};
}
