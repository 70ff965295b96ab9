/** Cards of the service mapping board: draggable PSA products and droppable services. */
import { useDraggable, useDroppable } from '@dnd-kit/core'
import { Badge, CloseButton, Group, Paper, Select, Stack, Text } from '@mantine/core'
import type { CatalogProduct, ServiceRow } from '../api/types.ts'
import { formatMoney } from '../format.ts'
import { DragHandle } from './drag-handle.tsx'

/** Converts a service name to an id fragment, e.g. `total-workstations`. */
export function serviceSlug(service: string): string {
  return service.toLowerCase().replace(/[^a-z0-9]+/g, '-')
}

/** Renders the name, identifier and price of a product, also shown in the drag overlay. */
export function ProductSummary({ product }: { product: CatalogProduct }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <Stack gap={0} style={{ minWidth: 0 }}>
        <Text fw={600} size="sm" truncate>
          {product.name}
        </Text>
        {product.identifier && (
          <Text size="xs" c="dimmed" truncate>
            {product.identifier}
          </Text>
        )}
      </Stack>
      {product.unitPrice !== null && (
        <Badge variant="default">{formatMoney(product.unitPrice)}</Badge>
      )}
    </Group>
  )
}

/** Renders a catalog product, to drag onto a service or map with its select. */
export function ProductCard({
  product,
  services,
  onMap,
}: {
  product: CatalogProduct
  services: string[]
  onMap: (service: string) => void
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: `product-${product.id}`,
    data: { productId: product.id },
  })
  return (
    <Paper
      ref={setNodeRef}
      {...listeners}
      withBorder
      p="xs"
      className="drag-card"
      data-dragging={isDragging}
      data-testid={`product-card-${product.id}`}
    >
      <Group align="flex-start" gap={6} wrap="nowrap">
        <DragHandle
          label={`Drag ${product.name} onto a service`}
          attributes={attributes}
          setActivatorNodeRef={setActivatorNodeRef}
          testId={`product-handle-${product.id}`}
        />
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <ProductSummary product={product} />
          <Select
            size="xs"
            placeholder="Map to…"
            aria-label={`Map ${product.name} to a NinjaOne service`}
            data={services}
            value={null}
            onChange={(value) => value !== null && onMap(value)}
          />
        </Stack>
      </Group>
    </Paper>
  )
}

/** Renders a NinjaOne service with the products that bill it, as a drop target. */
export function ServiceCard({
  row,
  onUnmap,
}: {
  row: ServiceRow
  onUnmap: (productId: number) => void
}) {
  const { setNodeRef, isOver } = useDroppable({
    id: `service-${serviceSlug(row.service)}`,
    data: { service: row.service },
  })
  return (
    <Paper
      ref={setNodeRef}
      withBorder
      p="xs"
      className="drop-card"
      data-over={isOver}
      data-testid={`service-card-${serviceSlug(row.service)}`}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text fw={600} size="sm">
          {row.service}
        </Text>
        <Badge color={row.products.length > 0 ? 'green' : 'gray'} variant="light">
          {row.products.length} {row.products.length === 1 ? 'product' : 'products'}
        </Badge>
      </Group>
      {row.products.length === 0 ? (
        <Text size="sm" c="dimmed">
          Drop a product here
        </Text>
      ) : (
        <Stack gap={2} mt={4}>
          {row.products.map((product) => (
            <Group key={product.productId} gap={4} wrap="nowrap">
              <Text size="sm" truncate style={{ flex: 1 }}>
                ← {product.productName}
              </Text>
              <CloseButton
                size="sm"
                aria-label={`Unmap ${product.productName} from ${row.service}`}
                onClick={() => onUnmap(product.productId)}
              />
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  )
}
