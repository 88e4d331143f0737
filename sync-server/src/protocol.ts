/**
 * The relay's view of the shared contract. The one definition lives in the app,
 * src/lib/sync/protocol.ts (document names, claims, access rules, shards); sync-server's tsconfig compiles
 * that file in (see scripts/build.mjs), and every relay module imports it through this bridge only.
 */
export * from '../../src/lib/sync/protocol.js';
