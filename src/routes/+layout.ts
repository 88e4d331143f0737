// The till is a client-only app: all data lives in the browser's IndexedDB.
export const ssr = false;
export const prerender = false;
