package io.captiond.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Safe names are kept as they are; only what needs it is changed (the rule is in SafeNames' comment). */
class SafeNamesTest {

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "RGB_10__29x100.heif|RGB_10__29x100",
        "IMG__0001.jpg|IMG__0001",
        "a-b.c_d.jpg|a-b.c_d",
        "my photo (copy).webp|my_photo_copy",
        "a _b.jpg|a_b",
        "x__ (1)__y.png|x_1_y",
        "Ünïcodé 写真.webp|Unicode",
        "--rm -rf.webp|rm_-rf",
        "$(whoami);`id`.webp|whoami_id",
        ".hidden.jpg|hidden",
        "写真.jpg|image",
    })
    void safeNamesStayUnsafeOnesAreMadeSafe(String file, String stem) {
        assertThat(SafeNames.safeStem(file)).isEqualTo(stem);
    }
}
