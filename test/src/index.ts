export * from './harness.js';
export * from './netns.js';
export * from './postgres.js';
