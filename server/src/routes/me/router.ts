import { router } from '../../trpc/init.ts';
import { meFeed } from './feed.ts';
import { meFollow } from './follow.ts';
import { meGet } from './get.ts';
import { meOnFeed } from './on-feed.ts';
import { mePreferencesRouter } from './preferences/router.ts';
import { meUnfollow } from './unfollow.ts';

export const meRouter = router({
  get: meGet,
  preferences: mePreferencesRouter,
  follow: meFollow,
  unfollow: meUnfollow,
  feed: meFeed,
  onFeed: meOnFeed,
});
