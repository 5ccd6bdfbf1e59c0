# Embeds every migrations/<id>/recipe.json into the binary, so one copied binary works anywhere.
# The generated file defines cfmigrate::recipe::embedded_recipes() (see recipe/embedded.hpp).
function(cfmigrate_embed_recipes migrations_dir output)
  file(GLOB recipe_files CONFIGURE_DEPENDS ${migrations_dir}/*/recipe.json)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DMIGRATIONS_DIR=${migrations_dir} -DOUTPUT=${output}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedRecipesScript.cmake
    DEPENDS ${recipe_files} ${PROJECT_SOURCE_DIR}/cmake/EmbedRecipesScript.cmake
    COMMENT "Embedding recipes from migrations/"
    VERBATIM)
endfunction()
