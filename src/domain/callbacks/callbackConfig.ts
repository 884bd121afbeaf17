/**
 * An app's callback configuration made at run time (over Tencent's `live_config` commands),
 * as opposed to the one in the config file. The command names are the vendor's, kept as the
 * app gave them: the surface that sends callbacks reads them.
 */
export interface CallbackConfig {
  url: string;
  commands: string[];
}

/** The token that signs an app's callbacks while `enabled`. */
export interface CallbackToken {
  token: string;
  enabled: boolean;
}

/** What an app set at run time; each part is absent until set. */
export interface AppCallbackSettings {
  config: CallbackConfig | undefined;
  token: CallbackToken | undefined;
}

export const noCallbackSettings: AppCallbackSettings = Object.freeze({ config: undefined, token: undefined });
