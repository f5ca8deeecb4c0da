/** The front end: every differentiable op. */
export * from './cast.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './movement.js';
export * from './linalg.js';
export * from './conv.js';
export * from './loss.js';
export * from './norm.js';
export * from './mlp.js';
export * from './attention.js';
