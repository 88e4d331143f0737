/** Public entry of the pricing module: the engine and its contract types. */
export { priceCart } from './engine';
export type * from './types';
