/** Typed Svelte contexts for the app-wide state objects (created once in the root layout). */
import { createContext } from 'svelte';
import type { AppState } from './app.svelte';
import type { PaymentState } from './payment.svelte';
import type { SessionState } from './session.svelte';
import type { TillState } from './till.svelte';
import type { SyncAuthState } from './syncAuth.svelte';
import type { SyncState } from './sync.svelte';

export const [getApp, setApp] = createContext<AppState>();
export const [getSession, setSession] = createContext<SessionState>();
export const [getTill, setTill] = createContext<TillState>();
export const [getPayment, setPayment] = createContext<PaymentState>();
export const [getSyncAuth, setSyncAuth] = createContext<SyncAuthState>();
export const [getSync, setSync] = createContext<SyncState>();
