/**
 * Service worker registration and the "new version ready" flow, as a Svelte 5 rune class.
 *
 * Usage (root layout, once, in the browser):
 *
 *   import { pwa } from '$lib/pwa/updates.svelte';
 *   onMount(() => { void pwa.register({ checkEveryMs: 30 * 60_000 }); });
 *
 * and, where the UI offers the update:
 *
 *   {#if pwa.updateReady && !cart.isOpen}<button onclick={() => pwa.applyUpdate()}>更新</button>{/if}
 *
 * The worker never activates a new version by itself (src/service-worker.ts). `applyUpdate()` reloads
 * the page, so the CALLER must only offer it when no cart or sale is open and nothing is mid-write:
 * never reload in the middle of a sale. This module does not know about carts on purpose.
 */
import { dev } from '$app/environment';

/** Message the waiting worker understands; must match src/service-worker.ts. */
export const SKIP_WAITING = 'SKIP_WAITING';
/** SvelteKit emits the worker at the site root. */
export const SERVICE_WORKER_URL = '/service-worker.js';

export interface PwaEnvironment {
	/** `navigator.serviceWorker`, or undefined where unsupported (insecure origin, old browser, SSR). */
	container: () => ServiceWorkerContainer | undefined;
	reload: () => void;
	/** SvelteKit serves the worker unbundled in dev, so it must be registered as a module there. */
	dev: boolean;
}

const browserEnvironment: PwaEnvironment = {
	container: () =>
		typeof navigator !== 'undefined' && 'serviceWorker' in navigator ? navigator.serviceWorker : undefined,
	reload: () => location.reload(),
	dev
};

export interface RegisterOptions {
	/** Ask the server for a new version this often (a kiosk never navigates, so the browser's own check rarely runs). */
	checkEveryMs?: number;
}

function describe(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}

export class PwaUpdates {
	/** A new version is installed and waiting; offer `applyUpdate()` when no sale is open. */
	updateReady = $state(false);
	/** The app is cached: the till will start and navigate with no network. */
	offlineReady = $state(false);
	/** Why registration failed, if it did; the till still works online. */
	error = $state<string | null>(null);

	readonly #env: PwaEnvironment;
	#registration: ServiceWorkerRegistration | null = null;
	#registering: Promise<ServiceWorkerRegistration | null> | null = null;
	#hadController = false;
	#staleAfterTakeover = false;
	#reloadRequested = false;
	#reloaded = false;
	#timer: ReturnType<typeof setInterval> | undefined;
	#unsubscribe: Array<() => void> = [];

	constructor(env: Partial<PwaEnvironment> = {}) {
		this.#env = { ...browserEnvironment, ...env };
	}

	get supported(): boolean {
		return this.#env.container() !== undefined;
	}

	/** Registers `/service-worker.js` once; later calls return the same registration. */
	register(options: RegisterOptions = {}): Promise<ServiceWorkerRegistration | null> {
		this.#registering ??= this.#register(options);
		return this.#registering;
	}

	async #register(options: RegisterOptions): Promise<ServiceWorkerRegistration | null> {
		const container = this.#env.container();
		if (!container) return null;
		this.#hadController = container.controller !== null;
		let registration: ServiceWorkerRegistration;
		try {
			registration = await container.register(SERVICE_WORKER_URL, {
				type: this.#env.dev ? 'module' : 'classic'
			});
		} catch (err) {
			this.error = `Service worker registration failed: ${describe(err)}`;
			return null;
		}
		this.#registration = registration;
		this.#watch(container, registration);
		container.ready.then(
			() => (this.offlineReady = true),
			() => {}
		);
		if (options.checkEveryMs && options.checkEveryMs > 0) {
			this.#timer = setInterval(() => void this.checkForUpdate(), options.checkEveryMs);
		}
		return registration;
	}

	#watch(container: ServiceWorkerContainer, registration: ServiceWorkerRegistration): void {
		const markIfWaiting = () => {
			// A waiting worker while another one controls this page is an update. With no controller it is a
			// first install, which `offlineReady` reports instead.
			if (registration.waiting && container.controller) this.updateReady = true;
		};
		markIfWaiting();

		const onUpdateFound = () => {
			const installing = registration.installing;
			if (!installing) return;
			const onStateChange = () => {
				if (installing.state === 'installed') markIfWaiting();
			};
			installing.addEventListener('statechange', onStateChange);
		};
		registration.addEventListener('updatefound', onUpdateFound);

		const onControllerChange = () => {
			if (this.#reloadRequested) {
				if (!this.#reloaded) {
					this.#reloaded = true;
					this.#env.reload();
				}
				return;
			}
			if (this.#hadController) {
				// Another tab accepted an update: this page still runs the old code. Offer a reload, never force one.
				this.#staleAfterTakeover = true;
				this.updateReady = true;
			}
			// Otherwise this is the first install claiming the page (see clients.claim in the worker).
			this.#hadController = true;
		};
		container.addEventListener('controllerchange', onControllerChange);

		this.#unsubscribe.push(
			() => registration.removeEventListener('updatefound', onUpdateFound),
			() => container.removeEventListener('controllerchange', onControllerChange)
		);
	}

	/** Asks the server whether a new version exists; harmless offline. */
	async checkForUpdate(): Promise<void> {
		try {
			await this.#registration?.update();
		} catch {
			// Offline or server unreachable: try again next time.
		}
	}

	/**
	 * Activates the waiting version and reloads the page once it has taken control.
	 * Only call this when no cart is open and no sale is being written: it reloads the page.
	 * Returns false when there is nothing to apply.
	 */
	applyUpdate(): boolean {
		const waiting = this.#registration?.waiting;
		if (waiting) {
			this.#reloadRequested = true;
			waiting.postMessage({ type: SKIP_WAITING });
			return true;
		}
		if (this.#staleAfterTakeover && !this.#reloaded) {
			this.#reloaded = true;
			this.#env.reload();
			return true;
		}
		return false;
	}

	/** Stops the periodic check and event listeners (tests, hot reload). */
	destroy(): void {
		if (this.#timer !== undefined) clearInterval(this.#timer);
		this.#timer = undefined;
		for (const off of this.#unsubscribe.splice(0)) off();
	}
}

/** The app-wide instance: there is one service worker per origin. */
export const pwa = new PwaUpdates();
