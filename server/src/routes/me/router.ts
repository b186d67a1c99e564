import { router } from '../../trpc/init.ts';
import { feedProcedure } from './feed.ts';
import { followTeamProcedure, unfollowTeamProcedure } from './follows.ts';
import { getMeProcedure } from './get-me.ts';
import { onFeedProcedure } from './on-feed.ts';
import { getPreferencesProcedure, patchPreferencesProcedure, putPreferencesProcedure } from './preferences.ts';

export const meRouter = router({
  get: getMeProcedure,
  preferences: router({
    get: getPreferencesProcedure,
    put: putPreferencesProcedure,
    patch: patchPreferencesProcedure,
  }),
  follow: followTeamProcedure,
  unfollow: unfollowTeamProcedure,
  feed: feedProcedure,
  onFeed: onFeedProcedure,
});
