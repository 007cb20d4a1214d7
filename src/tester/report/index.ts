export * from './gate.js';
export * from './report.js';
export * from './markdown.js';
export * from './sarif.js';
export * from './junit.js';
export * from './history.js';
