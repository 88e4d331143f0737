/// <reference types="@sveltejs/kit" />
/**
 * Branchline service worker: makes the till start and navigate with no network.
 *
 * - Precaches the whole app (SvelteKit's `build`, `files` and `prerendered` lists) plus the SPA shell
 *   `/200.html`, which `$service-worker` does not list (pitfall #3 in shared/notes/stack-on-node20.md).
 * - Answers every navigation (deep links included) with the cached `/200.html` (pitfall #2).
 * - Never activates a new version on its own: a new worker waits until the page, having checked that
 *   no sale is in progress, posts `{ type: 'SKIP_WAITING' }` (see src/lib/pwa/updates.svelte.ts).
 *
 * Till data lives in IndexedDB, not in these caches; the caches only hold the app's code and assets.
 */
import { base, build, files, prerendered, version } from '$service-worker';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

const sw = self as unknown as ServiceWorkerGlobalScope;

/** Must match SKIP_WAITING in src/lib/pwa/updates.svelte.ts. */
const SKIP_WAITING = 'SKIP_WAITING';
const SHELL = `${base}/200.html`;

/** Hashed files under _app/immutable/ are revisioned by their URL; everything else by the build version. */
function entry(url: string): { url: string; revision: string | null } {
	return { url, revision: url.startsWith(`${base}/_app/immutable/`) ? null : version };
}

const urls = new Set<string>([...build, ...files, ...prerendered, SHELL]);
precacheAndRoute([...urls].map(entry));
cleanupOutdatedCaches();

// Navigations that must reach the server (or 404 honestly) instead of getting the app shell:
// server endpoints (/healthz, /api/…) and anything that looks like a file (e.g. /demo/seed.json).
const b = base.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const denylist = [
	new RegExp(`^${b}/_app/`),
	new RegExp(`^${b}/(?:healthz|api)(?:[/?]|$)`),
	/\/[^/?]+\.[^/?]+(?:\?.*)?$/
];
registerRoute(new NavigationRoute(createHandlerBoundToURL(SHELL), { denylist }));

sw.addEventListener('message', (event: ExtendableMessageEvent) => {
	const data: unknown = event.data;
	if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === SKIP_WAITING) {
		void sw.skipWaiting();
	}
});

// Take control of open pages as soon as this worker activates. On a first install that makes the
// already-open page work offline without a reload; on an update it only happens after the page
// asked for it, and the page then reloads itself onto the new version.
sw.addEventListener('activate', (event: ExtendableEvent) => {
	event.waitUntil(sw.clients.claim());
});
