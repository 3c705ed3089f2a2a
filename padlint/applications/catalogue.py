"""What keras.applications exports in Keras 3, and where padlint's twin of each name is.

Keras exports every application at ``keras.applications.<Name>`` and in its module
(``keras.applications.resnet.ResNet101``; ResNet50 also in ``resnet50``); MobileNetV3
only at the top. Every module has ``preprocess_input`` and ``decode_predictions``, and
``imagenet_utils`` has the general ``preprocess_input(x, data_format, mode)``. The
tables follow keras/api/applications (Keras 3.15); a name Keras does not export there
is not an application to padlint either (``keras.src`` paths reach the defining module).
"""

from __future__ import annotations

#: Application -> the module of padlint.applications.architectures that builds it.
ARCHITECTURES: dict[str, str] = {
    **dict.fromkeys(("ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge"), "convnext"),
    **dict.fromkeys(("DenseNet121", "DenseNet169", "DenseNet201"), "densenet"),
    **dict.fromkeys(tuple(f"EfficientNetB{index}" for index in range(8)), "efficientnet"),
    **dict.fromkeys(tuple(f"EfficientNetV2{size}" for size in ("B0", "B1", "B2", "B3", "S", "M", "L")), "efficientnet_v2"),
    "InceptionResNetV2": "inception_resnet_v2",
    "InceptionV3": "inception_v3",
    "MobileNet": "mobilenet",
    "MobileNetV2": "mobilenet_v2",
    **dict.fromkeys(("MobileNetV3Small", "MobileNetV3Large"), "mobilenet_v3"),
    **dict.fromkeys(("NASNetMobile", "NASNetLarge"), "nasnet"),
    **dict.fromkeys(("ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2", "ResNet152V2"), "resnet"),
    **dict.fromkeys(("VGG16", "VGG19"), "vgg"),
    "Xception": "xception",
}

#: keras.applications.<module> -> the applications it exports (``from keras.applications.resnet50 import ResNet50``).
MODULE_EXPORTS: dict[str, tuple[str, ...]] = {
    "convnext": ("ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge"),
    "densenet": ("DenseNet121", "DenseNet169", "DenseNet201"),
    "efficientnet": tuple(f"EfficientNetB{index}" for index in range(8)),
    "efficientnet_v2": tuple(f"EfficientNetV2{size}" for size in ("B0", "B1", "B2", "B3", "S", "M", "L")),
    "imagenet_utils": (),
    "inception_resnet_v2": ("InceptionResNetV2",),
    "inception_v3": ("InceptionV3",),
    "mobilenet": ("MobileNet",),
    "mobilenet_v2": ("MobileNetV2",),
    "mobilenet_v3": (),
    "nasnet": ("NASNetMobile", "NASNetLarge"),
    "resnet": ("ResNet50", "ResNet101", "ResNet152"),
    "resnet50": ("ResNet50",),
    "resnet_v2": ("ResNet50V2", "ResNet101V2", "ResNet152V2"),
    "vgg16": ("VGG16",),
    "vgg19": ("VGG19",),
    "xception": ("Xception",),
}

#: The modules that define the applications (keras/src/applications/<module>.py), for
#: ``keras.src.applications.mobilenet_v3.MobileNetV3Small``.
DEFINING_MODULES: dict[str, tuple[str, ...]] = {
    **{module: names for module, names in MODULE_EXPORTS.items() if module != "resnet50"},
    "mobilenet_v3": ("MobileNetV3Small", "MobileNetV3Large"),
}

#: What each module's ``preprocess_input`` does to a tensor: an imagenet_utils mode
#: ("caffe", "tf", "torch"), or nothing (the model rescales its input itself).
PREPROCESS_MODES: dict[str, str | None] = {
    "convnext": None,
    "densenet": "torch",
    "efficientnet": None,
    "efficientnet_v2": None,
    "inception_resnet_v2": "tf",
    "inception_v3": "tf",
    "mobilenet": "tf",
    "mobilenet_v2": "tf",
    "mobilenet_v3": None,
    "nasnet": "tf",
    "resnet": "caffe",
    "resnet50": "caffe",
    "resnet_v2": "tf",
    "vgg16": "caffe",
    "vgg19": "caffe",
    "xception": "tf",
}

#: Layer classes the applications define for themselves (keras/src/applications/<module>.py),
#: reached only through ``keras.src``: module -> class names.
CUSTOM_LAYERS: dict[str, tuple[str, ...]] = {
    "convnext": ("LayerScale", "StochasticDepth"),
    "inception_resnet_v2": ("CustomScaleLayer",),
}


def application(module: str | None, name: str, private: bool) -> str | None:
    """The application ``keras.applications[.module].name`` names, or None.

    ``private`` is a ``keras.src`` path, which reaches the module that defines a name."""
    if module is None:
        return name if name in ARCHITECTURES else None
    exports = (DEFINING_MODULES if private else MODULE_EXPORTS).get(module, ())
    return name if name in exports else None
