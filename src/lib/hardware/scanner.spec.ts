import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attachScanner, ScanDetector, typeInto, type KeyInput, type ScannerOptions } from './scanner';

type Step = KeyInput | { flushAt: number };

/** Keys of `text` starting at `start`, `gap` ms apart; `end` (e.g. 'Enter') follows after another gap. */
function keys(text: string, start: number, gap: number, end?: string): KeyInput[] {
	const out = Array.from(text, (key, i) => ({ key, at: start + i * gap }));
	if (end) out.push({ key: end, at: start + text.length * gap });
	return out;
}

function run(steps: Step[], options?: ScannerOptions) {
	const scans: string[] = [];
	const detector = new ScanDetector((code) => scans.push(code), options);
	const verdicts: string[] = [];
	let released = '';
	for (const step of steps) {
		if ('flushAt' in step) detector.flush(step.flushAt);
		else verdicts.push(detector.feed(step));
		released += detector.takeReleased();
	}
	return { scans, verdicts, released, pending: detector.pending };
}

const P = 'pending';
const C = 'consumed';
const T = 'passthrough';

describe('ScanDetector', () => {
	it.each<[string, Step[], { scans: string[]; released: string; verdicts?: string[] }]>([
		[
			'a scanner burst ending in Enter',
			keys('6901234567892', 1000, 4, 'Enter'),
			{ scans: ['6901234567892'], released: '', verdicts: [...Array(13).fill(P), C] }
		],
		['a burst ending in Tab', keys('B01-T2-0042', 0, 8, 'Tab'), { scans: ['B01-T2-0042'], released: '' }],
		[
			'human typing, then Enter',
			keys('abc', 0, 120, 'Enter'),
			{ scans: [], released: 'abc', verdicts: [P, P, P, T] }
		],
		[
			'a burst that starts while the cashier is typing',
			[...keys('ab', 0, 150), ...keys('12345678', 400, 3, 'Enter')],
			{ scans: ['12345678'], released: 'ab' }
		],
		[
			'a scanner double-fire: two identical bursts back to back',
			[...keys('1234567', 0, 3, 'Enter'), ...keys('1234567', 26, 3, 'Enter')],
			{ scans: ['1234567', '1234567'], released: '' }
		],
		[
			'a scanner with no suffix, decided when the line goes quiet',
			[...keys('12345678', 0, 5), { flushAt: 65 }, { flushAt: 66 }], // last key at 35
			{ scans: ['12345678'], released: '' }
		],
		[
			'a suffix-less burst, then typing right after the pause',
			[...keys('12345678', 0, 5), ...keys('x', 100, 0, 'Enter')],
			{ scans: ['12345678'], released: 'x' }
		],
		[
			'a fast burst too short to be a code (key rollover)',
			keys('ab', 0, 10, 'Enter'),
			{ scans: [], released: 'ab', verdicts: [P, P, T] }
		],
		[
			'a short fast burst with no Enter',
			[...keys('123', 0, 5), { flushAt: 100 }],
			{ scans: [], released: '123' }
		],
		[
			'a gap of exactly the limit still belongs to the burst',
			keys('1234', 0, 30, 'Enter'),
			{ scans: ['1234'], released: '' }
		],
		[
			'a gap over the limit splits it: a slow scanner reads as typing',
			keys('1234', 0, 31, 'Enter'),
			{ scans: [], released: '1234' }
		],
		[
			'Shift inside a burst (capital letters) does not break it',
			[
				{ key: 'Shift', at: 0 },
				{ key: 'A', at: 1 },
				{ key: 'Shift', at: 3 },
				{ key: 'B', at: 4 },
				...keys('123', 7, 3, 'Enter')
			],
			{ scans: ['AB123'], released: '', verdicts: [T, P, T, P, P, P, P, C] }
		],
		[
			'Backspace lets held typing go first',
			[
				{ key: 'a', at: 0 },
				{ key: 'Backspace', at: 10 }
			],
			{ scans: [], released: 'a', verdicts: [P, T] }
		],
		[
			'a held-down key (auto-repeat) is a person',
			[{ key: 'a', at: 0 }, ...keys('aaaa', 20, 20).map((k) => ({ ...k, repeat: true }))],
			{ scans: [], released: 'a', verdicts: [P, T, T, T, T] }
		],
		[
			'keys the Chinese IME is composing are left alone',
			keys('1234', 0, 3).map((k) => ({ ...k, key: 'Process', isComposing: true })),
			{ scans: [], released: '', verdicts: [T, T, T, T] }
		],
		['shortcuts pass', [{ key: 'v', at: 0, ctrlKey: true }], { scans: [], released: '', verdicts: [T] }],
		['Enter alone passes', [{ key: 'Enter', at: 0 }], { scans: [], released: '', verdicts: [T] }]
	])('%s', (_name, steps, expected) => {
		const result = run(steps);
		expect(result.scans).toEqual(expected.scans);
		expect(result.released).toEqual(expected.released);
		if (expected.verdicts) expect(result.verdicts).toEqual(expected.verdicts);
	});

	it('can require a terminator', () => {
		const result = run([...keys('12345678', 0, 5), { flushAt: 100 }], { allowNoTerminator: false });
		expect(result.scans).toEqual([]);
		expect(result.released).toBe('12345678');
	});

	it('takes its timing, length and terminators from options', () => {
		expect(run(keys('1234', 0, 45, 'Enter'), { maxIntervalMs: 50 }).scans).toEqual(['1234']);
		expect(run(keys('12345', 0, 5, 'Enter'), { minLength: 6 }).released).toBe('12345');
		expect(run(keys('12345', 0, 5, 'Tab'), { terminators: ['Enter'] }).scans).toEqual([]);
	});

	it('reports what it holds and when it can decide', () => {
		const detector = new ScanDetector(() => {});
		expect(detector.deadline).toBeNull();
		detector.feed({ key: '1', at: 100 });
		detector.feed({ key: '2', at: 104 });
		expect(detector.pending).toBe('12');
		expect(detector.deadline).toBe(134);
		detector.flush(134); // not quiet for longer than the limit yet
		expect(detector.pending).toBe('12');
		detector.releaseAll();
		expect(detector.takeReleased()).toBe('12');
		expect(detector.takeReleased()).toBe('');
	});
});

/** Just enough of an <input> for the binding: a value, a selection and `closest` for data-scanner. */
class FakeInput extends EventTarget {
	value = '';
	selectionStart: number | null = 0;
	selectionEnd: number | null = 0;
	constructor(readonly scannerOff = false) {
		super();
	}
	closest(selector: string): FakeInput | null {
		return selector === '[data-scanner="off"]' && this.scannerOff ? this : null;
	}
	setRangeText(text: string, start: number, end: number): void {
		this.value = this.value.slice(0, start) + text + this.value.slice(end);
		this.selectionStart = this.selectionEnd = start + text.length;
	}
}

function keydown(target: EventTarget, key: string, at: number): Event {
	const event = Object.assign(new Event('keydown', { cancelable: true }), {
		key,
		ctrlKey: false,
		altKey: false,
		metaKey: false,
		repeat: false,
		isComposing: false
	});
	Object.defineProperty(event, 'timeStamp', { value: at });
	target.dispatchEvent(event);
	return event;
}

describe('attachScanner', () => {
	let clock = 0;
	beforeEach(() => {
		vi.useFakeTimers();
		clock = 0;
	});
	afterEach(() => vi.useRealTimers());
	const tick = (ms: number) => {
		clock += ms;
		vi.advanceTimersByTime(ms);
	};

	it('swallows a scan and types human keys into the field', () => {
		const input = new FakeInput();
		const scans: string[] = [];
		const inputs: string[] = [];
		input.addEventListener('input', () => inputs.push(input.value));
		const detach = attachScanner(input, (code) => scans.push(code), { now: () => clock });

		expect(keydown(input, 'a', 0).defaultPrevented).toBe(true); // held back: might start a scan
		tick(40);
		expect(input.value).toBe('a'); // quiet: it was typing, and arrives as an input event

		const events = [...'6901234567892', 'Enter'].map((key, i) => keydown(input, key, 200 + i * 3));
		expect(events.every((e) => e.defaultPrevented)).toBe(true);
		expect(scans).toEqual(['6901234567892']);
		tick(100);
		expect(input.value).toBe('a'); // not one scanned character reached the field
		expect(inputs).toEqual(['a']);
		detach();
	});

	it('leaves fields marked data-scanner="off" alone', () => {
		const input = new FakeInput(true);
		const onScan = vi.fn();
		attachScanner(input, onScan, { now: () => clock });
		const events = [...'12345678', 'Enter'].map((key, i) => keydown(input, key, i * 3));
		expect(events.some((e) => e.defaultPrevented)).toBe(false);
		expect(onScan).not.toHaveBeenCalled();
	});

	it('detaches, typing back whatever it still held', () => {
		const input = new FakeInput();
		const onScan = vi.fn();
		const detach = attachScanner(input, onScan, { now: () => clock });
		keydown(input, 'x', 0);
		detach();
		expect(input.value).toBe('x');
		expect(keydown(input, 'y', 10).defaultPrevented).toBe(false);
		tick(100);
		expect(onScan).not.toHaveBeenCalled();
	});

	it('hands released text to a custom sink with the element it was typed in', () => {
		const input = new FakeInput();
		const sink = vi.fn();
		attachScanner(input, () => {}, { now: () => clock, onRelease: sink });
		keydown(input, 'q', 0);
		keydown(input, 'Backspace', 500);
		expect(sink).toHaveBeenCalledWith('q', input);
	});
});

describe('typeInto', () => {
	it('replaces the selection, or appends when the field has none', () => {
		const input = new FakeInput();
		input.value = 'abcd';
		input.selectionStart = 1;
		input.selectionEnd = 3;
		typeInto('XY', input);
		expect(input.value).toBe('aXYd');
		input.selectionStart = input.selectionEnd = null;
		typeInto('9', input);
		expect(input.value).toBe('aXYd9');
		expect(() => typeInto('z', new EventTarget())).not.toThrow();
	});
});
