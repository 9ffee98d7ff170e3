// The from-scratch part has the mistake; the CNNs are the correct ones.
export * from './scratch.ts';
export * from '../correct/models.ts';
