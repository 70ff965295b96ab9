/** The drag-and-drop context shared by the account and service mapping boards. */
import {
  type Announcements,
  DndContext,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core'
import type { ReactNode } from 'react'
import { detectTarget, useMappingSensors } from './dnd.ts'

interface MappingDndContextProps {
  announcements: Announcements
  /** Screen reader instructions for a draggable card. */
  instructions: string
  onDragStart: (event: DragStartEvent) => void
  onDragEnd: (event: DragEndEvent) => void
  onDragCancel: () => void
  children: ReactNode
}

/** Wraps a mapping board with pointer and keyboard sensors and card-to-card collision. */
export function MappingDndContext(props: MappingDndContextProps) {
  const sensors = useMappingSensors()
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={detectTarget}
      onDragStart={props.onDragStart}
      onDragEnd={props.onDragEnd}
      onDragCancel={props.onDragCancel}
      accessibility={{
        announcements: props.announcements,
        screenReaderInstructions: { draggable: props.instructions },
      }}
    >
      {props.children}
    </DndContext>
  )
}
