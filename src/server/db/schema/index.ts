export * from './auth';
export * from './resellers';
export * from './nas';
export * from './radius';
export * from './pools';
export * from './audit';
export * from './jobs';
export * from './subscribers';
