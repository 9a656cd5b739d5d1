/**
 * The parts of rxjs the library uses, each imported from its own module (the `rxjs/internal/*`
 * paths rxjs's package exports) instead of from the `rxjs` index, which loads every operator
 * (about 220 modules, most of the cost of importing the library). They are the very classes and
 * functions the index re-exports, so Observables from here and from `rxjs` are interchangeable.
 * Types still come from `rxjs` (`import type`), which loads nothing.
 *
 * @module
 */
export { Observable } from 'rxjs/internal/Observable';
export { Subject } from 'rxjs/internal/Subject';
export { asyncScheduler } from 'rxjs/internal/scheduler/async';
export { concat } from 'rxjs/internal/observable/concat';
export { defer } from 'rxjs/internal/observable/defer';
export { EMPTY } from 'rxjs/internal/observable/empty';
export { from } from 'rxjs/internal/observable/from';
export { merge } from 'rxjs/internal/observable/merge';
export { of } from 'rxjs/internal/observable/of';
export { throwError } from 'rxjs/internal/observable/throwError';
export { timer } from 'rxjs/internal/observable/timer';
export { catchError } from 'rxjs/internal/operators/catchError';
export { distinctUntilChanged } from 'rxjs/internal/operators/distinctUntilChanged';
export { filter } from 'rxjs/internal/operators/filter';
export { finalize } from 'rxjs/internal/operators/finalize';
export { ignoreElements } from 'rxjs/internal/operators/ignoreElements';
export { map } from 'rxjs/internal/operators/map';
export { repeat } from 'rxjs/internal/operators/repeat';
export { share } from 'rxjs/internal/operators/share';
export { startWith } from 'rxjs/internal/operators/startWith';
export { switchMap } from 'rxjs/internal/operators/switchMap';
export { takeUntil } from 'rxjs/internal/operators/takeUntil';
export { takeWhile } from 'rxjs/internal/operators/takeWhile';
