package io.captiond;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** captiond: inbox of phone photos in, captioned LoRA training zip out. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CaptiondApplication {

    public static void main(String[] args) {
        SpringApplication.run(CaptiondApplication.class, args);
    }
}
