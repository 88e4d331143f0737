import { describe, expect, it, vi } from 'vitest';
import { PwaUpdates, SERVICE_WORKER_URL, SKIP_WAITING } from './updates.svelte';

class FakeWorker extends EventTarget {
	state: ServiceWorkerState = 'installing';
	messages: unknown[] = [];
	postMessage(message: unknown): void {
		this.messages.push(message);
	}
	setState(state: ServiceWorkerState): void {
		this.state = state;
		this.dispatchEvent(new Event('statechange'));
	}
}

class FakeRegistration extends EventTarget {
	installing: FakeWorker | null = null;
	waiting: FakeWorker | null = null;
	active: FakeWorker | null = null;
	update = vi.fn(() => Promise.resolve());
}

class FakeContainer extends EventTarget {
	controller: FakeWorker | null = null;
	registration = new FakeRegistration();
	registered: Array<{ url: string; options: RegistrationOptions | undefined }> = [];
	#resolveReady: (r: FakeRegistration) => void = () => {};
	ready = new Promise<FakeRegistration>((resolve) => (this.#resolveReady = resolve));
	register(url: string, options?: RegistrationOptions): Promise<FakeRegistration> {
		this.registered.push({ url, options });
		return Promise.resolve(this.registration);
	}
	activate(): void {
		this.#resolveReady(this.registration);
	}
	/** A new worker appears, installs and waits. */
	installNew(): FakeWorker {
		const worker = new FakeWorker();
		this.registration.installing = worker;
		this.registration.dispatchEvent(new Event('updatefound'));
		this.registration.installing = null;
		this.registration.waiting = worker;
		worker.setState('installed');
		return worker;
	}
	takeOver(worker: FakeWorker): void {
		this.registration.waiting = null;
		this.registration.active = worker;
		this.controller = worker;
		this.dispatchEvent(new Event('controllerchange'));
	}
}

function setup(options: { controlled: boolean; dev?: boolean }) {
	const container = new FakeContainer();
	if (options.controlled) {
		container.controller = new FakeWorker();
		container.registration.active = container.controller;
	}
	const reload = vi.fn();
	const pwa = new PwaUpdates({
		container: () => container as unknown as ServiceWorkerContainer,
		reload,
		dev: options.dev ?? false
	});
	return { container, reload, pwa };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('PwaUpdates', () => {
	it('registers the root worker as a classic script in production and a module in dev', async () => {
		const prod = setup({ controlled: false });
		await prod.pwa.register();
		await prod.pwa.register();
		expect(prod.container.registered).toEqual([{ url: SERVICE_WORKER_URL, options: { type: 'classic' } }]);

		const dev = setup({ controlled: false, dev: true });
		await dev.pwa.register();
		expect(dev.container.registered[0]?.options).toEqual({ type: 'module' });
	});

	it('does nothing where service workers are unsupported', async () => {
		const pwa = new PwaUpdates({ container: () => undefined, reload: vi.fn(), dev: false });
		expect(pwa.supported).toBe(false);
		expect(await pwa.register()).toBeNull();
		expect(pwa.applyUpdate()).toBe(false);
	});

	it('reports a first install as offline-ready, not as an update, and does not reload on claim', async () => {
		const { container, reload, pwa } = setup({ controlled: false });
		await pwa.register();
		const worker = container.installNew();
		container.activate();
		container.takeOver(worker); // clients.claim()
		await tick();
		expect(pwa.offlineReady).toBe(true);
		expect(pwa.updateReady).toBe(false);
		expect(reload).not.toHaveBeenCalled();
	});

	it('flags an update without applying it, then applies it only when asked', async () => {
		const { container, reload, pwa } = setup({ controlled: true });
		await pwa.register();
		const next = container.installNew();
		expect(pwa.updateReady).toBe(true);
		expect(next.messages).toEqual([]);
		expect(reload).not.toHaveBeenCalled();

		expect(pwa.applyUpdate()).toBe(true);
		expect(next.messages).toEqual([{ type: SKIP_WAITING }]);
		expect(reload).not.toHaveBeenCalled(); // not before the new worker controls the page
		container.takeOver(next);
		container.dispatchEvent(new Event('controllerchange'));
		expect(reload).toHaveBeenCalledTimes(1);
	});

	it('notices a worker already waiting at startup', async () => {
		const { container, pwa } = setup({ controlled: true });
		container.registration.waiting = new FakeWorker();
		await pwa.register();
		expect(pwa.updateReady).toBe(true);
	});

	it('offers, but never forces, a reload when another tab activated the update', async () => {
		const { container, reload, pwa } = setup({ controlled: true });
		await pwa.register();
		const next = container.installNew();
		container.takeOver(next);
		expect(reload).not.toHaveBeenCalled();
		expect(pwa.updateReady).toBe(true);
		expect(pwa.applyUpdate()).toBe(true);
		expect(reload).toHaveBeenCalledTimes(1);
	});

	it('records a registration failure', async () => {
		const { container, pwa } = setup({ controlled: false });
		container.register = () => Promise.reject(new Error('insecure origin'));
		expect(await pwa.register()).toBeNull();
		expect(pwa.error).toContain('insecure origin');
	});

	it('checks for updates periodically until destroyed', async () => {
		vi.useFakeTimers();
		try {
			const { container, pwa } = setup({ controlled: true });
			await pwa.register({ checkEveryMs: 1000 });
			await vi.advanceTimersByTimeAsync(3000);
			expect(container.registration.update).toHaveBeenCalledTimes(3);
			pwa.destroy();
			await vi.advanceTimersByTimeAsync(3000);
			expect(container.registration.update).toHaveBeenCalledTimes(3);
		} finally {
			vi.useRealTimers();
		}
	});
});
