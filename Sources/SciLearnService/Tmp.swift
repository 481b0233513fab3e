public enum SciLearnServicePlaceholder {}
