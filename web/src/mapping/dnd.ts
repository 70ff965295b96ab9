/**
 * Drag-and-drop plumbing shared by account and service mapping: sensors that leave inputs
 * and buttons inside a card alone, a keyboard getter that jumps between drop targets, and
 * collision detection by pointer position with a rectangle fallback for the keyboard.
 */
import {
  type CollisionDetection,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  PointerSensor,
  type PointerSensorOptions,
  pointerWithin,
  rectIntersection,
  useSensor,
  useSensors,
} from '@dnd-kit/core'
import type { PointerEvent } from 'react'

const INTERACTIVE = 'button, input, textarea, select, a, [role="combobox"], [role="option"]'

function startsOnControl(event: PointerEvent): boolean {
  return event.target instanceof Element && event.target.closest(INTERACTIVE) !== null
}

/** A pointer sensor that ignores presses on controls inside a draggable card. */
class CardPointerSensor extends PointerSensor {
  static override activators = [
    {
      eventName: 'onPointerDown' as const,
      handler: (event: PointerEvent, options: PointerSensorOptions) => {
        if (startsOnControl(event)) return false
        return PointerSensor.activators[0]!.handler(event, options)
      },
    },
  ]
}

const NEXT_KEYS = new Set(['ArrowDown', 'ArrowRight'])
const PREVIOUS_KEYS = new Set(['ArrowUp', 'ArrowLeft'])

/**
 * Moves a keyboard drag to the center of a drop target: the nearest one on the first arrow
 * press, then the next (Down, Right) or previous (Up, Left) one in top-to-bottom order.
 */
export const jumpBetweenTargets: KeyboardCoordinateGetter = (event, { context }) => {
  const forward = NEXT_KEYS.has(event.code)
  if (!forward && !PREVIOUS_KEYS.has(event.code)) return undefined
  event.preventDefault()
  const { collisionRect, droppableRects, droppableContainers, over } = context
  if (!collisionRect) return undefined

  const targets = droppableContainers
    .getEnabled()
    .flatMap((container) => {
      const rect = droppableRects.get(container.id)
      return rect ? [{ id: container.id, rect }] : []
    })
    .sort((a, b) => a.rect.top - b.rect.top || a.rect.left - b.rect.left)
  if (targets.length === 0) return undefined

  const index = over ? targets.findIndex((target) => target.id === over.id) : -1
  const centerY = collisionRect.top + collisionRect.height / 2
  const nearest = targets.reduce((best, target) =>
    Math.abs(target.rect.top + target.rect.height / 2 - centerY) <
    Math.abs(best.rect.top + best.rect.height / 2 - centerY)
      ? target
      : best,
  )
  const step = forward ? 1 : -1
  const next =
    index === -1 ? nearest : targets[Math.min(targets.length - 1, Math.max(0, index + step))]
  if (!next) return undefined
  return {
    x: next.rect.left + next.rect.width / 2 - collisionRect.width / 2,
    y: next.rect.top + next.rect.height / 2 - collisionRect.height / 2,
  }
}

/** Detects the target under the pointer, or by overlap for keyboard drags without one. */
export const detectTarget: CollisionDetection = (args) => {
  const byPointer = pointerWithin(args)
  return byPointer.length > 0 ? byPointer : rectIntersection(args)
}

/** Creates the sensors of a mapping board: pointer after 5 px, so clicks stay clicks, and keys. */
export function useMappingSensors() {
  return useSensors(
    useSensor(CardPointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: jumpBetweenTargets }),
  )
}
