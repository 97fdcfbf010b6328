import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { PutWithBody } from '../../shared/intents.ts'
import { readIdea, readThemes, removeTheme, writeTheme } from '../../shared/stateDoc.ts'
import { THEME_NAMES_BY_FACILITATOR, nextThemeName, type PublicTheme } from '../../shared/themes.ts'
import { requirePhase } from '../domain/ideas.ts'
import { newId } from '../domain/tokens.ts'
import type { Room } from '../rooms/Room.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { Actor } from './actors.ts'

/**
 * Themes live in the state doc only: the server writes them (the board guard keeps everyone
 * else out of it), exports and ballots can trust them, and they hold nothing about who made them.
 * Anyone in the workshop may put ideas together before the vote, as on a shared wall. Only the
 * facilitator names them: a participant's name for a theme is their words, and it reached
 * everyone the moment they sent it, where ideas wait to be shown together.
 */
export class ThemeService {
  constructor(private readonly deps: { rooms: RoomRegistry }) {}

  /** Puts an idea with another idea (making a theme) or into a theme; it leaves its old one. */
  putWith(actor: Actor, sectionId: string, body: PutWithBody): Result<PublicTheme> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist.')
      const phase = requirePhase(section, 'group', 'put ideas together')
      if (!phase.ok) return phase
      const doc = room.state.doc
      const shownHere = (ideaId: string) => {
        const idea = readIdea(doc, ideaId)
        return idea && idea.sectionId === sectionId && idea.kind === 'idea' && idea.status === 'published' ? idea : undefined
      }
      const idea = shownHere(body.ideaId)
      if (!idea) return fail(ErrorCode.unprocessable, 'Only ideas everyone can see in this section can be put together.')
      const themes = readThemes(doc, sectionId)
      let target: PublicTheme
      if (body.themeId !== undefined) {
        const theme = themes.find((t) => t.themeId === body.themeId)
        if (!theme) return fail(ErrorCode.notFound, 'That theme does not exist in this section.')
        target = theme
      } else {
        const other = shownHere(body.withIdeaId ?? '')
        if (!other || other.ideaId === idea.ideaId) return fail(ErrorCode.unprocessable, 'Choose another idea everyone can see in this section.')
        target = themes.find((t) => t.ideaIds.includes(other.ideaId)) ?? {
          themeId: newId(),
          sectionId,
          name: (actor.kind === 'facilitator' ? body.name : undefined) ?? nextThemeName(themes),
          ideaIds: [other.ideaId],
        }
      }
      if (target.ideaIds.includes(idea.ideaId)) return ok(target)
      const joined: PublicTheme = { ...target, ideaIds: [...target.ideaIds, idea.ideaId] }
      const left = themes.find((t) => t.themeId !== target.themeId && t.ideaIds.includes(idea.ideaId))
      this.write(room, [joined, ...(left ? [{ ...left, ideaIds: left.ideaIds.filter((id) => id !== idea.ideaId) }] : [])])
      return ok(joined)
    })
  }

  /** Takes an idea out of its theme. A theme left with one idea is undone. */
  takeOut(actor: Actor, themeId: string, ideaId: string): Result<{ themeId: string }> {
    return this.withTheme(actor, themeId, (room, theme) => {
      if (!theme.ideaIds.includes(ideaId)) return fail(ErrorCode.notFound, 'That idea is not in this theme.')
      this.write(room, [{ ...theme, ideaIds: theme.ideaIds.filter((id) => id !== ideaId) }])
      return ok({ themeId })
    })
  }

  rename(actor: Actor, themeId: string, name: string): Result<PublicTheme> {
    if (actor.kind !== 'facilitator') return fail(ErrorCode.forbidden, THEME_NAMES_BY_FACILITATOR)
    return this.withTheme(actor, themeId, (room, theme) => {
      const renamed = { ...theme, name }
      this.write(room, [renamed])
      return ok(renamed)
    })
  }

  private withTheme<T>(actor: Actor, themeId: string, act: (room: Room, theme: PublicTheme) => Result<T>): Result<T> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const theme = readThemes(room.state.doc).find((t) => t.themeId === themeId)
      if (!theme) return fail(ErrorCode.notFound, 'That theme does not exist.')
      const section = room.section(theme.sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist.')
      const phase = requirePhase(section, 'group', 'change themes')
      if (!phase.ok) return phase
      return act(room, theme)
    })
  }

  private write(room: Room, themes: PublicTheme[]): void {
    room.commit(() => undefined, {
      state: (doc) => {
        for (const theme of themes) {
          if (theme.ideaIds.length < 2) removeTheme(doc, theme.themeId)
          else writeTheme(doc, theme)
        }
      },
    })
  }
}
