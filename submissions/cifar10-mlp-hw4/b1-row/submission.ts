// The from-scratch part has the mistake; the FFN is the correct one.
export * from './scratch-mistake.ts';
export * from './models.ts';
