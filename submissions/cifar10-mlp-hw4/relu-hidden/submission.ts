// The from-scratch part has the mistake; the FFN is the correct one.
export * from './scratch.ts';
export * from '../correct/models.ts';
