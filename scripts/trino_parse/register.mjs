// Loaded with node --import before check.mjs: registers loader.mjs.
import { register } from 'node:module';
register('./loader.mjs', import.meta.url);
