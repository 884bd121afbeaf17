import type { Json } from './mutations.js';
import type { World } from './world.js';

export interface Template {
  name: string;
  /** A valid request; `fresh` is a new number each run, for requests that create things. */
  request(world: World, fresh: number): Json;
  /** Accepted at most once: it uses up its target (a spare), so the check of valid requests skips it. */
  once?: boolean;
  /** The state this request may change (the admin API's routes touch different parts). */
  state?: (world: World) => Promise<unknown>;
}

/** An HTTP request described as JSON: path parameters, query and body are all mutated alike. */
export interface HttpTemplate extends Template {
  method: string;
  /** With `:name` for each path parameter, filled from the request's `params`. */
  path: string;
}

export function httpTemplate(
  method: string,
  path: string,
  request: (world: World, fresh: number) => { params?: Json; query?: Json; body?: Json },
  options: Pick<Template, 'state' | 'once'> = {},
): HttpTemplate {
  return {
    name: `${method} ${path}`,
    method,
    path,
    request: (world, fresh) => request(world, fresh) as Json,
    ...options,
  };
}
