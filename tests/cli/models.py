"""Small model files with known findings, for trees built inside tests."""

SHRINK = '''\
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten

model = Sequential([
    Conv2D(32, kernel_size=(3, 3), input_shape=(20, 20, 3)),
    Conv2D(64, kernel_size=(5, 5)),
    Conv2D(128, kernel_size=(7, 7)),
    Flatten(),
    Dense(2, activation="softmax"),
])
'''
#: Where SHRINK's PAD201 is reported.
SHRINK_AT = "7:5"

BLOWUP = '''\
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten

model = Sequential([
    Conv2D(32, 3, padding="same", input_shape=(64, 64, 3)),
    Flatten(),
    Dense(256, activation="relu"),
    Dense(10, activation="softmax"),
])
'''
BLOWUP_AT = "7:5"

BAD_PADDING = '''\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.MaxPooling2D(2, padding="Valid"),
    layers.Conv2D(8, 3, padding="same"),
])
'''
BAD_PADDING_AT = "5:5"

CLEAN = '''\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(32, 32, 3)),
    layers.Conv2D(16, 3, padding="same"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
'''

#: Needs an input shape from --input-shape or configuration to say anything.
UNKNOWN_INPUT = '''\
from keras import layers, models

def build(input_shape):
    return models.Sequential([
        layers.Input(shape=input_shape),
        layers.Conv2D(8, 3),
        layers.Conv2D(8, 3),
        layers.Flatten(),
        layers.Dense(2),
    ])

model = build(x_train.shape[1:])
'''
UNKNOWN_INPUT_AT = "7:9"


def codes(output: str) -> list[tuple[str, str, str]]:
    """(path, line:col, code) of each concise line."""
    found = []
    for line in output.splitlines():
        head, _, rest = line.partition(": ")
        parts = head.rsplit(":", 2)
        if len(parts) == 3 and rest[:3] == "PAD":
            found.append((parts[0], f"{parts[1]}:{parts[2]}", rest.split()[0]))
    return found
