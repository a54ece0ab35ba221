import { Table, type TableTdProps, type TableThProps } from '@mantine/core';
import classes from './numeric-cell.module.css';

/** A table cell holding a figure: right-aligned, digits lined up in columns, never wrapped. */
export function NumericTd(props: TableTdProps) {
  return <Table.Td ta="right" className={classes.numeric} {...props} />;
}

/** A header or footer cell holding a figure (a total), aligned like the {@link NumericTd} cells above it. */
export function NumericTh(props: TableThProps) {
  return <Table.Th ta="right" className={classes.numeric} {...props} />;
}
