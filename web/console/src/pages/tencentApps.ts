/**
 * The configured Tencent apps, for the pages that show one app at a time (Gifts, Rooms): the list
 * from `GET /tencent/apps`, and a picker whose choice lives in the page URL (`?app=`).
 */
import { get, type Page } from '../api.js';
import { h } from '../dom.js';

export interface TencentAppSummary {
  sdkAppId: number;
  gifting: { enabled: boolean };
}

/** Every configured app, by SDKAppID. */
export async function tencentApps(signal: AbortSignal): Promise<TencentAppSummary[]> {
  const apps: TencentAppSummary[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<TencentAppSummary> = await get('/tencent/apps', { limit: 100, cursor }, signal);
    apps.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return apps;
}

/** The app the URL names (`?app=`), or the first one. */
export function chosenApp(apps: TencentAppSummary[], query: URLSearchParams): TencentAppSummary | undefined {
  const wanted = query.get('app');
  return apps.find((app) => String(app.sdkAppId) === wanted) ?? apps[0];
}

/** A labelled select of the apps; choosing one calls `choose` with its SDKAppID. */
export function appPicker(
  apps: TencentAppSummary[],
  current: TencentAppSummary,
  choose: (sdkAppId: string) => void,
): HTMLElement {
  const select = h(
    'select',
    { id: 'app-picker', name: 'app' },
    apps.map((app) => h('option', { value: String(app.sdkAppId), selected: app === current }, `App ${app.sdkAppId}`)),
  );
  select.addEventListener('change', () => choose(select.value));
  return h('div', { class: 'app-picker field' }, h('label', { for: 'app-picker' }, 'Tencent app (SDKAppID)'), select);
}
