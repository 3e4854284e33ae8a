"""Reading and checking partners' files: the return's schema, the safety checks every upload passes before it is
read, the readers of Excel and CSV files, the rules for each cell and row, and what checking a file gives
(`validated.ValidatedFile`, with every problem at its sheet, row and column). Nothing here touches the store."""
