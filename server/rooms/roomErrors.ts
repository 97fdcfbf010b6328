/** The room could not be opened (its saved data is unreadable): never serve or write over it. */
export class RoomLoadError extends Error {}

/** The workshop's live state is on another instance (routing normally prevents this). */
export class RoomHeldElsewhere extends RoomLoadError {}

/**
 * The room was let go while a request held it: its workshop was deleted, or ownership went with
 * the database session. A commit then would write beside another owner's, or for nobody.
 */
export class RoomDiscarded extends RoomHeldElsewhere {
  constructor() {
    super('This workshop moved to another server or was closed. Please try again in a moment.')
  }
}
