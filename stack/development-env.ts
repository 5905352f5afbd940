/**
 * What `npm start` and `npm run cluster` add to the environment they and their children run with:
 * development mode and the console's development sign-in (DEV_TOKENS=on). The configuration's own
 * defaults are production's, so that a process started any other way with NODE_ENV forgotten opens
 * none of this. Whatever the environment already says wins; production never gets DEV_TOKENS.
 */
export function withDevelopmentDefaults(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const mode = env.NODE_ENV || 'development';
  return {
    ...env,
    NODE_ENV: mode,
    ...(mode !== 'production' && !env.DEV_TOKENS ? { DEV_TOKENS: 'on' } : {}),
  };
}

/** For the start-up banner: the mode, who can reach the API, and whether it hands out development tokens. */
export function accessSummary(config: { NODE_ENV: string; HOST: string; DEV_TOKENS: string }, reach: string): string {
  return (
    `${config.NODE_ENV} (NODE_ENV); the API listens on ${config.HOST} (HOST): reachable from ${reach}; ` +
    (config.DEV_TOKENS === 'on'
      ? 'development sign-in on (DEV_TOKENS=on, loopback clients only)'
      : 'development sign-in off (DEV_TOKENS=off)')
  );
}
