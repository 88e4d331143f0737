/** Points and stored-value ledgers: folds, earning and tender rules, entry builders, gifts. */
export * from './types';
export * from './entries';
export * from './expiry';
export * from './fold';
export * from './points';
export * from './storedValue';
export * from './gifts';
export * from './reconcile';
