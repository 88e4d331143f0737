/**
 * Measurements through the till's UI, timed inside the page with performance.now() (no Playwright round trips in
 * the timed span). "Painted" = the first requestAnimationFrame after the DOM change, plus a task queued behind
 * that frame (so style, layout and paint of the frame are included).
 */
import { expect, type Page } from '@playwright/test';

export interface ColdStartMark {
	/** The app's first render (the loading screen, or anything inside <body> from the app). */
	firstRender: number;
	/** Staff buttons of the sign-in screen are in the DOM. */
	dom: number;
	/** The frame showing them has been produced. */
	painted: number;
}

declare global {
	interface Window {
		__coldStart?: ColdStartMark;
	}
}

/** tsx compiles in-page callbacks with esbuild's keepNames, which calls a `__name` helper: give pages one. */
export const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((fn) => fn);';

/** Init script: watches the document from navigation start until the named staff button is in the DOM. */
export async function installColdStartProbe(page: Page, staffName: string): Promise<void> {
	await page.addInitScript((name: string) => {
		const marks = { firstRender: 0, dom: 0, painted: 0 };
		const observer = new MutationObserver(() => {
			if (!marks.firstRender && document.querySelector('main, .shell')) marks.firstRender = performance.now();
			for (const button of Array.from(document.getElementsByTagName('button'))) {
				if (!button.textContent?.includes(name)) continue;
				marks.dom = performance.now();
				observer.disconnect();
				requestAnimationFrame(() => {
					const channel = new MessageChannel();
					channel.port1.onmessage = () => {
						marks.painted = performance.now();
						window.__coldStart = marks;
					};
					channel.port2.postMessage(0);
				});
				return;
			}
		});
		observer.observe(document, { childList: true, subtree: true });
	}, staffName);
}

export interface ColdStartSample extends ColdStartMark {
	responseEnd: number;
	domContentLoaded: number;
}

/** One navigation of the current page to `url` (or a reload) up to the sign-in screen painted. */
export async function coldStartOnce(page: Page, url?: string): Promise<ColdStartSample> {
	if (url) await page.goto(url, { waitUntil: 'commit' });
	else await page.reload({ waitUntil: 'commit' });
	await page.waitForFunction(() => window.__coldStart?.painted, undefined, { timeout: 60_000 });
	return page.evaluate(() => {
		const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
		const mark = window.__coldStart as ColdStartMark;
		return {
			...mark,
			responseEnd: nav?.responseEnd ?? NaN,
			domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN
		};
	});
}

export async function signIn(page: Page, name: string, pin: string): Promise<void> {
	await page.getByRole('button', { name }).first().click();
	await page.getByTestId('pin-input').pressSequentially(pin);
	await page.getByTestId('pin-input').press('Enter');
	await expect(page.getByTestId('scan-input')).toBeVisible({ timeout: 30_000 });
}

export interface ScanSample {
	/** Scan dispatched → frame with the new line produced. */
	painted: number;
	/** Scan dispatched → the new line is in the DOM. */
	dom: number;
	/** Lines already in the cart when scanned. */
	lines: number;
	/**
	 * DOM updated → start of the frame that showed it (the rAF timestamp): time spent waiting for the display's
	 * frame cadence, not working. painted − frameWait is the work and the rendering of the frame.
	 */
	frameWait: number;
}

/**
 * Scans each code through the scan box (value + input event + form submit, what Enter does) and times it until
 * the cart shows one more line. `gapMs` between scans lets the till finish its background work (stock check,
 * cart save) as it would between two real scans.
 */
export function scanAll(page: Page, codes: string[], gapMs: number): Promise<ScanSample[]> {
	return page.evaluate(
		async ([list, gap]) => {
			const input = document.querySelector<HTMLInputElement>('[data-testid=scan-input]');
			const form = input?.form;
			if (!input || !form) throw new Error('scan input not found');
			const count = () => document.querySelectorAll('[data-testid=cart-line]').length;
			const out: { painted: number; dom: number; lines: number; frameWait: number }[] = [];
			for (const code of list) {
				const before = count();
				let dom = 0;
				const t0 = performance.now();
				await new Promise<void>((resolve, reject) => {
					const timer = setTimeout(() => {
						observer.disconnect();
						const feedback = document.querySelector('[data-testid=feedback]')?.textContent?.trim();
						reject(new Error(`no cart line for ${code} after 10 s (feedback: ${feedback})`));
					}, 10_000);
					const observer = new MutationObserver(() => {
						if (count() <= before) return;
						dom = performance.now();
						observer.disconnect();
						clearTimeout(timer);
						resolve();
					});
					observer.observe(document.body, { childList: true, subtree: true });
					input.value = code;
					input.dispatchEvent(new Event('input', { bubbles: true }));
					form.requestSubmit();
				});
				let frameStart = 0;
				await new Promise<void>((resolve) =>
					requestAnimationFrame((at) => {
						frameStart = at;
						const channel = new MessageChannel();
						channel.port1.onmessage = () => resolve();
						channel.port2.postMessage(0);
					})
				);
				out.push({
					painted: performance.now() - t0,
					dom: dom - t0,
					lines: before,
					frameWait: Math.max(0, frameStart - dom)
				});
				await new Promise((resolve) => setTimeout(resolve, gap));
			}
			return out;
		},
		[codes, gapMs] as const
	);
}

/** Clears the cart with the till's own button (the owner needs no approval) and waits until it is empty. */
export async function clearCart(page: Page, label: string): Promise<void> {
	await page.getByRole('button', { name: label, exact: true }).click();
	await expect(page.getByTestId('cart-line')).toHaveCount(0, { timeout: 10_000 });
}

export async function scanUntimed(page: Page, codes: string[]): Promise<void> {
	for (const code of codes) {
		const lines = await page.getByTestId('cart-line').count();
		await page.getByTestId('scan-input').fill(code);
		await page.getByTestId('scan-input').press('Enter');
		await expect(page.getByTestId('cart-line')).toHaveCount(lines + 1);
	}
}

export interface AttachSample {
	/** Member submitted → frame with the member card and the repriced total produced. */
	painted: number;
	dom: number;
	/** False when the total did not change (the member's level had no price for these lines). */
	repriced: boolean;
	/** DOM updated → start of the frame that showed it (see ScanSample.frameWait). */
	frameWait: number;
}

/** Attaches a member by phone through the member box, times it to the repriced total, then detaches. */
export function attachMember(page: Page, phone: string, detachLabel: string): Promise<AttachSample> {
	return page.evaluate(
		async ([number, detach]) => {
			const input = document.querySelector<HTMLInputElement>('[data-testid=member-input]');
			const total = document.querySelector('[data-testid=cart-total]');
			if (!input?.form || !total) throw new Error('member input or total not found');
			const form = input.form;
			const before = total.textContent;
			const ready = () =>
				!!document.querySelector('[data-testid=member-card]') && total.textContent !== before;
			let dom = 0;
			const t0 = performance.now();
			const repriced = await new Promise<boolean>((resolve, reject) => {
				const observer = new MutationObserver(() => {
					if (!ready()) return;
					dom = performance.now();
					finish(true);
				});
				const timer = setTimeout(() => {
					if (document.querySelector('[data-testid=member-card]')) {
						dom = performance.now();
						return finish(false);
					}
					observer.disconnect();
					reject(new Error(`member ${number} was not attached within 10 s`));
				}, 10_000);
				const finish = (changed: boolean) => {
					observer.disconnect();
					clearTimeout(timer);
					resolve(changed);
				};
				observer.observe(document.body, { childList: true, subtree: true, characterData: true });
				input.value = number;
				input.dispatchEvent(new Event('input', { bubbles: true }));
				form.requestSubmit();
			});
			let frameStart = 0;
			await new Promise<void>((resolve) =>
				requestAnimationFrame((at) => {
					frameStart = at;
					const channel = new MessageChannel();
					channel.port1.onmessage = () => resolve();
					channel.port2.postMessage(0);
				})
			);
			const painted = performance.now() - t0;
			const frameWait = Math.max(0, frameStart - dom);
			const card = document.querySelector('[data-testid=member-card]');
			const button = Array.from(card?.querySelectorAll('button') ?? []).find(
				(b) => b.textContent?.trim() === detach
			);
			button?.click();
			const until = performance.now() + 10_000;
			while (!document.querySelector('[data-testid=member-input]') || total.textContent !== before) {
				if (performance.now() > until) throw new Error('member was not detached');
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
			return { painted, dom: dom - t0, repriced, frameWait };
		},
		[phone, detachLabel] as const
	);
}
