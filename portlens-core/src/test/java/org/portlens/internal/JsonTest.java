package org.portlens.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    @Test
    void parsesObjectsInDocumentOrder() throws Exception {
        Object v = Json.parse("{\"b\": 1, \"a\": [true, false, null], \"c\": {\"d\": \"e\"}}");
        assertThat(v).isInstanceOf(Map.class);
        Map<String, Object> m = castMap(v);
        assertThat(m.keySet()).containsExactly("b", "a", "c");
        assertThat(m.get("b")).isEqualTo(1L);
        assertThat(m.get("a")).isEqualTo(List.of(true, false, Json.NULL));
        assertThat(Json.string(v, "c", "d")).contains("e");
    }

    @Test
    void parsesScalarsAtTopLevel() throws Exception {
        assertThat(Json.parse(" \"x\" ")).isEqualTo("x");
        assertThat(Json.parse("42")).isEqualTo(42L);
        assertThat(Json.parse("null")).isSameAs(Json.NULL);
        assertThat(Json.parse("[]")).isEqualTo(List.of());
        assertThat(Json.parse("{}")).isEqualTo(Map.of());
    }

    @Test
    void keepsTheLastValueOfARepeatedKey() throws Exception {
        assertThat(Json.integer(Json.parse("{\"a\":1,\"a\":2}"), "a")).contains(2L);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0|0",
                "-0|0",
                "-12|-12",
                "9223372036854775807|9223372036854775807",
                "-9223372036854775808|-9223372036854775808",
            })
    void parsesIntegersAsLongs(String text, long expected) throws Exception {
        assertThat(Json.parse(text)).isEqualTo(expected);
    }

    @Test
    void parsesOtherNumbersAsBigDecimals() throws Exception {
        assertThat(Json.parse("9223372036854775808")).isEqualTo(new BigDecimal("9223372036854775808"));
        assertThat(Json.parse("1.5")).isEqualTo(new BigDecimal("1.5"));
        assertThat(Json.parse("-2.5E+3")).isEqualTo(new BigDecimal("-2.5E+3"));
        assertThat(Json.parse("1e-2")).isEqualTo(new BigDecimal("1e-2"));
    }

    @Test
    void decodesEscapes() throws Exception {
        assertThat(Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"")).isEqualTo("a\"b\\c/d\b\f\n\r\t");
        assertThat(Json.parse("\"\\u00e9t\\u00C9\"")).isEqualTo("étÉ");
    }

    @Test
    void joinsSurrogatePairEscapesIntoOneCodePoint() throws Exception {
        String s = (String) Json.parse("\"\\ud83d\\ude00!\"");
        assertThat(s.codePointAt(0)).isEqualTo(0x1F600);
        assertThat(s).isEqualTo("😀!");
    }

    @Test
    void keepsUnpairedSurrogateEscapeAsRfc8259Allows() throws Exception {
        assertThat(Json.parse("\"\\ud800x\"")).isEqualTo("\ud800x");
    }

    @Test
    void passesNonAsciiTextThrough() throws Exception {
        assertThat(Json.parse("[\"日本語\", \"😀\"]")).isEqualTo(List.of("日本語", "😀"));
    }

    @Test
    void skipsALeadingByteOrderMark() throws Exception {
        assertThat(Json.parse("\uFEFF{\"a\":1}")).isEqualTo(Map.of("a", 1L));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "``|expected a value, found the end of the text (truncated?) at offset 0",
                "`{\"a\":1,}`|expected a string key, found '}' at offset 7",
                "`[1,2,]`|expected a value, found ']' at offset 5",
                "`{\"a\" 1}`|expected ':', found '1' at offset 5",
                "`[1 2]`|expected ',' or ']', found '2' at offset 3",
                "`{\"a\":1 \"b\":2}`|expected ',' or '}', found '\"' at offset 7",
                "`01`|expected no leading zero, found '1' at offset 1",
                "`1.`|expected a digit after '.', found the end of the text (truncated?) at offset 2",
                "`1e`|expected a digit in the exponent, found the end of the text (truncated?) at offset 2",
                "`-`|expected a digit, found the end of the text (truncated?) at offset 1",
                "`+1`|expected a value, found '+' at offset 0",
                "`tru`|expected 'true', found 't' at offset 0",
                "`nul`|expected 'null', found 'n' at offset 0",
                "`'a'`|expected a value, found ''' at offset 0",
                "`\"a\\x\"`|expected one of \" \\ / b f n r t u after '\\', found 'x' at offset 3",
                "`\"\\u12G4\"`|expected a hex digit after '\\u', found 'G' at offset 5",
                "`\"\\u12`|expected four hex digits after '\\u', found the end of the text (truncated?) at offset 5",
                "`{} {}`|expected the end of the text, found '{' at offset 3",
                "`// c\n{}`|expected a value, found '/' at offset 0",
                "`1e99999999999`|expected a number with an exponent that fits in 32 bits, found '1' at offset 0",
            })
    void namesTheOffsetAndWhatWasExpected(String text, String message) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOf(Json.ParseException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsRawControlCharactersInStrings() {
        assertThatThrownBy(() -> Json.parse("\"a\tb\""))
                .isInstanceOf(Json.ParseException.class)
                .hasMessage("expected no raw control character (\\u0009) in a string, found \\u0009 at offset 2");
    }

    @Test
    void saysWhereATruncatedDocumentEnds() {
        String whole = "{\"Name\":\"/web-1\",\"Config\":{\"Image\":\"nginx:1.27\",\"Labels\":{\"a\":\"b\"}}}";
        for (int cut = 1; cut < whole.length(); cut++) {
            String part = whole.substring(0, cut);
            assertThatThrownBy(() -> Json.parse(part))
                    .as("cut at %d: %s", cut, part)
                    .isInstanceOfSatisfying(
                            Json.ParseException.class,
                            e -> assertThat(e.offset()).isBetween(0, part.length()))
                    .hasMessageContaining("truncated?");
        }
    }

    @Test
    void saysWhereAnUnterminatedStringStarts() {
        assertThatThrownBy(() -> Json.parse("{\"a\": \"bc"))
                .hasMessage("expected '\"' to end the string that starts at offset 6, found the end of the text"
                        + " (truncated?) at offset 9");
    }

    @Test
    void parsesNestingUpToTheLimitAndRefusesDeeper() throws Exception {
        String ok = "[".repeat(64) + "]".repeat(64);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
        String deep = "[".repeat(65) + "]".repeat(65);
        assertThatThrownBy(() -> Json.parse(deep))
                .hasMessage("nesting deeper than the limit of 64, found '[' at offset 64");
        String objects = "{\"a\":".repeat(3) + "1" + "}".repeat(3);
        assertThatThrownBy(() -> Json.parse(objects, 2, 1000)).hasMessageContaining("deeper than the limit of 2");
    }

    @Test
    void neverOverflowsTheStackOnHostileNesting() {
        String hostile = "[".repeat(1_000_000);
        assertThatThrownBy(() -> Json.parse(hostile, 1000, 2_000_000)).isInstanceOf(Json.ParseException.class);
    }

    @Test
    void refusesTextOverTheSizeLimit() {
        assertThatThrownBy(() -> Json.parse("[1, 2, 3]", 8, 5))
                .hasMessage("text of 9 chars is longer than the limit of 5 at offset 0");
        assertThatThrownBy(() -> Json.parse("[]", 0, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void returnsUnmodifiableValues() throws Exception {
        Object v = Json.parse("{\"a\":[1]}");
        assertThatThrownBy(() -> castMap(v).put("b", 2L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Json.array(v, "a").add(2L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object v) {
        return (Map<String, Object>) v;
    }

    @Test
    void readsParsedValuesTolerantly() throws Exception {
        Object v = Json.parse("{\"a\":{\"b\":\"x\",\"n\":7,\"z\":null,\"l\":[1]},\"s\":\"t\"}");
        assertThat(Json.string(v, "a", "b")).contains("x");
        assertThat(Json.string(v, "a", "n")).isEmpty();
        assertThat(Json.integer(v, "a", "n")).contains(7L);
        assertThat(Json.at(v, "a", "z")).isEmpty();
        assertThat(Json.at(v, "s", "deeper")).isEmpty();
        assertThat(Json.object(v, "missing")).isEmpty();
        assertThat(Json.array(v, "a", "l")).containsExactly(1L);
        assertThat(Json.array(v, "a", "b")).isEmpty();
        assertThat(Json.object(v, "a")).containsKeys("b", "n", "z", "l");
    }
}
