package org.isles.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {

  @Test
  void readsQuotedCellsCrlfAndPadsShortRows(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("t.csv");
    Files.writeString(file, "case_id,dice,note\r\nsub-a,0.5,\"a, b\"\r\nsub-b,,\"say \"\"hi\"\"\nthere\"\nsub-c,0.1\n\n");
    CsvTable table = CsvTable.read(file);
    assertEquals(List.of("case_id", "dice", "note"), table.header());
    assertEquals(List.of(
        List.of("sub-a", "0.5", "a, b"),
        List.of("sub-b", "", "say \"hi\"\nthere"),
        List.of("sub-c", "0.1", "")), table.rows());
    assertEquals(1, table.column("dice"));
    assertEquals(-1, table.column("hd95_mm"));
  }

  @Test
  void refusesAnEmptyFileAndAnOpenQuote(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.csv"), "");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvTable.read(empty)).getMessage().contains("no header"));
    Path open = Files.writeString(dir.resolve("open.csv"), "a,b\n1,\"2\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvTable.read(open)).getMessage().contains("ends inside a quoted cell"));
  }

  @Test
  void escapesFormulaCellsAndReadsThemBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cells.csv");
    List<Object> row = List.of("=HYPERLINK(\"http://x\",\"y\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "'quoted", "sub-a",
        -3.5, Double.NaN, 7, "a, b");
    CsvTable.write(file, List.of("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12"), List.of(row));
    String written = Files.readString(file).split("\n", 2)[1];
    assertEquals("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1,'-1+2,'@SUM(A1),'\tx,\"'\rx\",''quoted,sub-a,-3.5,,7,\"a, b\"\n",
        written);
    assertEquals(List.of(List.of("=HYPERLINK(\"http://x\",\"y\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "'quoted", "sub-a",
        "-3.5", "", "7", "a, b")), CsvTable.read(file).rows());
  }
}
