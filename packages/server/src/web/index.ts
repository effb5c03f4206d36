export { registerWebApp, type WebApp } from './static.js';
