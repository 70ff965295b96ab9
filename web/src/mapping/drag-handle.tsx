/** The keyboard handle of a draggable card; pointer drags start anywhere on the card. */
import type { DraggableAttributes } from '@dnd-kit/core'
import { Box } from '@mantine/core'

/** Renders a focusable grip that starts a keyboard drag with Space or Enter. */
export function DragHandle({
  label,
  attributes,
  setActivatorNodeRef,
  testId,
}: {
  label: string
  attributes: DraggableAttributes
  setActivatorNodeRef: (element: HTMLElement | null) => void
  testId: string
}) {
  return (
    <Box
      ref={setActivatorNodeRef}
      {...attributes}
      aria-label={label}
      data-testid={testId}
      className="drag-card"
      c="dimmed"
      fz="lg"
      lh={1}
      px={4}
      style={{ borderRadius: 4, userSelect: 'none' }}
    >
      ⠿
    </Box>
  )
}
