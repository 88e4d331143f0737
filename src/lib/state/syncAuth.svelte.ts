/**
 * Enrolling this till with the chain's relay and keeping its token fresh. The owner enrols the first device with
 * a token minted by the CLI; every other till enters a one-time code the owner creates here.
 */
import { enrol, EnrolmentError, generateDeviceKeys, refresh, type IssuedToken } from '$lib/sync/enrolClient';
import {
	loadDeviceKeys,
	loadSyncAuth,
	saveDeviceKeys,
	saveSyncAuth,
	type SyncAuth
} from '$lib/storage/syncAuth';
import type { AppState } from './app.svelte';

export class SyncAuthState {
	auth = $state.raw<SyncAuth | null>(null);
	error = $state<string | null>(null);
	busy = $state(false);
	readonly #app: AppState;
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(app: AppState) {
		this.#app = app;
	}

	async load(): Promise<void> {
		this.auth = (await loadSyncAuth(this.#app.db)) ?? null;
		this.#schedule();
	}

	/** Enrols with a one-time code from the owner; the device's key pair is made here and never leaves it. */
	async enrolWithCode(relayUrl: string, code: string): Promise<boolean> {
		const device = this.#app.device;
		if (!device) return false;
		return this.#run(async () => {
			const keys = (await loadDeviceKeys(this.#app.db)) ?? (await this.#newKeys());
			const issued = await enrol(relayUrl, code.trim(), device.deviceId, keys);
			await this.#accept(relayUrl, issued);
		});
	}

	/** The owner's first device: a token minted with `npm run device:token` (see README, enrolling tills). */
	async useToken(relayUrl: string, token: string): Promise<boolean> {
		return this.#run(async () => {
			const payload = JSON.parse(atob(token.split('.')[1]?.replace(/-/g, '+').replace(/_/g, '/') ?? '')) as {
				chain: string;
				branch: string;
				device: string;
				role: IssuedToken['claims']['role'];
				exp: number;
			};
			const expiresAt = new Date(payload.exp * 1000).toISOString();
			await this.#accept(relayUrl, {
				token,
				expiresAt,
				refreshAfter: expiresAt,
				claims: { chain: payload.chain, branch: payload.branch, device: payload.device, role: payload.role }
			});
		});
	}

	/** Creates a one-time enrolment code for a new till (owner only; the relay checks the token). */
	async createCode(
		branch: string,
		role: IssuedToken['claims']['role']
	): Promise<{ code: string; expiresAt: string } | null> {
		const auth = this.auth;
		if (!auth) return null;
		let result: { code: string; expiresAt: string } | null = null;
		await this.#run(async () => {
			const res = await fetch(new URL('/api/enrolment-codes', auth.relayUrl), {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${auth.token}` },
				body: JSON.stringify({ branch, role })
			});
			const json = (await res.json()) as { code: string; expiresAt: string; error?: { message: string } };
			if (!res.ok) throw new EnrolmentError(res.status, json.error?.message ?? `HTTP ${res.status}`);
			result = { code: json.code, expiresAt: json.expiresAt };
		});
		return result;
	}

	async #newKeys(): Promise<CryptoKeyPair> {
		const keys = await generateDeviceKeys();
		await saveDeviceKeys(this.#app.db, keys);
		return keys;
	}

	async #accept(relayUrl: string, issued: IssuedToken): Promise<void> {
		const chainId = this.#app.device?.chainId;
		// A till never silently switches chain: its data belongs to the chain it was set up for.
		if (chainId && issued.claims.chain !== chainId)
			throw new EnrolmentError(409, `chain ${issued.claims.chain}`);
		const auth: SyncAuth = { relayUrl, ...issued };
		await saveSyncAuth(this.#app.db, auth);
		this.auth = auth;
		if (this.#app.device && this.#app.branches.some((b) => b.id === issued.claims.branch))
			await this.#app.moveTill(issued.claims.branch, this.#app.device.tillCode);
		this.#schedule();
	}

	/** Refreshes the token at its half-life with a request signed by the device key; retries when offline. */
	#schedule(): void {
		clearTimeout(this.#timer);
		const auth = this.auth;
		if (!auth) return;
		const wait = Math.max(5_000, new Date(auth.refreshAfter).getTime() - Date.now());
		this.#timer = setTimeout(() => void this.#refresh(), Math.min(wait, 2 ** 31 - 1));
	}

	async #refresh(): Promise<void> {
		const auth = this.auth;
		const keys = await loadDeviceKeys(this.#app.db);
		if (!auth || !keys) return;
		try {
			const issued = await refresh(auth.relayUrl, auth.claims.device, keys);
			const next = { ...auth, ...issued };
			await saveSyncAuth(this.#app.db, next);
			this.auth = next;
		} catch {
			// Offline or relay down: keep selling; try again shortly.
			this.#timer = setTimeout(() => void this.#refresh(), 60_000);
			return;
		}
		this.#schedule();
	}

	async #run(work: () => Promise<void>): Promise<boolean> {
		this.busy = true;
		this.error = null;
		try {
			await work();
			return true;
		} catch (error) {
			this.error =
				error instanceof EnrolmentError
					? this.#app.locale.t('sync.enrolFailed', { status: error.status, detail: error.message })
					: this.#app.locale.error(error);
			return false;
		} finally {
			this.busy = false;
		}
	}
}
