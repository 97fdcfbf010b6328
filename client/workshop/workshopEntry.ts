// What the workshop chunk exports (see `workshopChunk.ts`).
export { WorkshopPage } from './WorkshopPage.tsx'
export { connectStateEarly } from '../sync/earlyState.ts'
