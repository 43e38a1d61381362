/**
 * The IO constructors (spec §11.1, Appendix B.1). The machine interns these names first,
 * so inside a machine each one's name id is its index here.
 */
import { nameFromText } from '../kdl/names.js';

export const IO_DONE = 0;
export const IO_TAKE = 1;
export const IO_SAVE = 2;
export const IO_CALL = 3;
export const IO_SUBJ = 4;
export const IO_FROM = 5;
export const IO_TICK = 6;
export const IO_TIME = 7;
export const IO_META = 8;
export const IO_HAX0 = 9;
export const IO_HAX1 = 10;
export const IO_GIDX = 11;
export const IO_STH0 = 12;
export const IO_STH1 = 13;
export const IO_FAIL = 14;
export const IO_NORM = 15;

export const IO_NAMES: readonly bigint[] = [
  'DONE', 'TAKE', 'SAVE', 'CALL', 'SUBJ', 'FROM', 'TICK', 'TIME',
  'META', 'HAX0', 'HAX1', 'GIDX', 'STH0', 'STH1', 'FAIL', 'NORM',
].map(nameFromText);
