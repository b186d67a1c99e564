export { abortReason, systemClock, type Clock } from '@pressbox/db';
